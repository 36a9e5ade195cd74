// Types for chromium.cjs, so TypeScript tests can import it.

export interface ChromiumLaunchOptions {
  executablePath: string;
  headless: boolean;
  args: string[];
}

export declare const CHROMIUM_ARGS: readonly string[];
export declare function findChromium(): string | null;
export declare function launchOptions(overrides?: { headless?: boolean; args?: string[] }): ChromiumLaunchOptions;
