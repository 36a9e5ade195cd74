// Which Fluent theme to show: the host's theme inside Teams, else ?theme=light|dark|contrast.
export type ThemeName = "light" | "dark" | "contrast";

/** Teams reports "default", "dark", "contrast" (and "glass" in newer clients, shown as light). */
export function themeFromTeams(theme: string | undefined): ThemeName {
  if (theme === "dark") return "dark";
  if (theme === "contrast") return "contrast";
  return "light";
}

/** The theme asked for in the address, e.g. index.html?theme=dark#/my; browser mode only. */
export function themeFromAddress(): ThemeName | null {
  const asked = new URLSearchParams(location.search).get("theme");
  if (asked === "dark" || asked === "contrast" || asked === "light") return asked;
  return null;
}

/** The operating system's preference, for a plain browser without ?theme. */
export function themeFromSystem(): ThemeName {
  if (window.matchMedia?.("(forced-colors: active)").matches) return "contrast";
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}
