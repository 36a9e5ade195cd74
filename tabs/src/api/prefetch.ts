// Answers requested before the page that shows them was loaded (see boot.ts). Each is taken once:
// a later visit to the page loads fresh data.
const offered = new Map<string, Promise<unknown>>();

export function offerPrefetch<T>(key: string, value: Promise<T>): void {
  offered.set(key, value);
}

export function takePrefetch<T>(key: string): Promise<T> | undefined {
  const value = offered.get(key) as Promise<T> | undefined;
  offered.delete(key);
  return value;
}
