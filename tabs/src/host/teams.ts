// The Teams (and Microsoft 365) host, through teams-js, which is loaded only when the page may
// be hosted: a plain browser never downloads it.
import type * as TeamsJs from "@microsoft/teams-js";
import { themeFromTeams, type ThemeName } from "./theme";

export interface TeamsHost {
  teams: typeof TeamsJs;
  theme: ThemeName;
  /** The sub-page of a deep link (our outcome links put `outcome:{id}` there). */
  subPageId: string | null;
  /** The frame Teams shows us in: "content", "settings" (the configuration page), … */
  frameContext: string | null;
  /** The team of a channel tab, as Teams knows it (its Microsoft 365 group id). */
  teamGroupId: string | null;
  onThemeChange(handler: (theme: ThemeName) => void): void;
  naaRecommended(): boolean;
}

/**
 * The same test teams-js makes before it waits for a host: a parent frame, an opener or a
 * native interface (Teams mobile). Without any of them app.initialize() would reject at once.
 */
export function mayBeHosted(): boolean {
  return window.parent !== window.self || !!window.opener || "nativeInterface" in window;
}

const INIT_TIMEOUT_MS = 5000;

/**
 * Initialises teams-js. Outside Teams initialize() rejects ("No Parent window found") or, in a
 * frame that is not a Microsoft 365 host, never answers: both mean browser mode (null).
 */
export async function connectToTeams(): Promise<TeamsHost | null> {
  if (!mayBeHosted()) return null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const teams = await import("@microsoft/teams-js");
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("no Microsoft 365 host answered")), INIT_TIMEOUT_MS);
    });
    await Promise.race([teams.app.initialize(), timeout]);
    const context = await Promise.race([teams.app.getContext(), timeout]);
    return {
      teams,
      theme: themeFromTeams(context.app.theme),
      subPageId: context.page.subPageId ?? null,
      frameContext: context.page.frameContext ?? null,
      teamGroupId: context.team?.groupId ?? null,
      onThemeChange(handler) {
        teams.app.registerOnThemeChangeHandler((t) => handler(themeFromTeams(t)));
      },
      naaRecommended() {
        try {
          return teams.nestedAppAuth.isNAAChannelRecommended();
        } catch {
          return false;
        }
      },
    };
  } catch (err) {
    console.info("Leeway runs in browser mode:", err instanceof Error ? err.message : err);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** Hands the tab's deep link to Teams' share UI; returns false when the host cannot. */
export function shareOutcome(host: TeamsHost | null, outcomeId: string, title: string): boolean {
  if (!host || !host.teams.pages.isSupported()) return false;
  host.teams.pages.shareDeepLink({ subPageId: `outcome:${outcomeId}`, subPageLabel: title });
  return true;
}
