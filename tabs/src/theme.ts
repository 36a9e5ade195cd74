import { teamsLightTheme, type Theme } from "@fluentui/react-components";
import type { ThemeName } from "./host/theme";

// The light theme ships with the first load; dark and high contrast are fetched when asked for,
// which keeps about a third of Fluent's token tables out of the initial JavaScript.
const loaded: Partial<Record<ThemeName, Theme>> = { light: teamsLightTheme };

export function themeIfLoaded(name: ThemeName): Theme | undefined {
  return loaded[name];
}

export async function loadTheme(name: ThemeName): Promise<Theme> {
  const ready = loaded[name];
  if (ready) return ready;
  const extra = await import("./theme-extra");
  loaded.dark = extra.teamsDarkTheme;
  loaded.contrast = extra.teamsHighContrastTheme;
  return loaded[name] ?? teamsLightTheme;
}
