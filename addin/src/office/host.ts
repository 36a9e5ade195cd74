// Where the task pane runs: inside Outlook (Office.js loaded, an appointment open) or in a plain
// browser, where it works on a preview appointment instead.
import type { Appointment } from "./appointment";
import { officeAppointment } from "./office-appointment";
import { PreviewAppointment } from "./preview-appointment";

export interface OutlookHost {
  kind: "outlook";
  appointment: Appointment;
  user: { email: string; displayName: string; timeZone: string | null };
  /** Nested app authentication is available (Mailbox requirement set NestedAppAuth 1.1). */
  supportsNestedAuth: boolean;
  /** Office's own single sign-on, the fallback when nested app authentication is not available. */
  ssoToken(): Promise<string>;
}

export interface PreviewHost {
  kind: "preview";
  appointment: PreviewAppointment;
  /** Why the preview is used: Office.js did not load, or Outlook has no appointment open. */
  reason: string;
}

export type Host = OutlookHost | PreviewHost;

const READY_TIMEOUT_MS = 4000;

function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

function preview(reason: string): PreviewHost {
  return { kind: "preview", appointment: new PreviewAppointment(sessionStore()), reason };
}

/** Waits for Office.js (when it loaded) and picks the appointment to work on. */
export async function detectHost(office: Office.Api | undefined = window.Office): Promise<Host> {
  if (!office) return preview("Office.js is not loaded: this page is open outside Outlook.");
  let info: { host: string | null } | null;
  try {
    info = await Promise.race([office.onReady(), new Promise<null>((resolve) => setTimeout(() => resolve(null), READY_TIMEOUT_MS))]);
  } catch {
    info = null;
  }
  if (!info || info.host !== "Outlook") return preview("Office.js is loaded, but this page is not open inside Outlook.");
  const appointment = officeAppointment(office);
  if (!appointment) return preview("Outlook has no appointment open; open the task pane from a meeting.");
  const profile = office.context.mailbox.userProfile;
  return {
    kind: "outlook",
    appointment,
    user: { email: profile.emailAddress, displayName: profile.displayName, timeZone: profile.timeZone ?? null },
    supportsNestedAuth: office.context.requirements.isSetSupported("NestedAppAuth", "1.1"),
    async ssoToken() {
      if (!office.auth) throw new Error("This version of Outlook offers no single sign-on.");
      // https://learn.microsoft.com/office/dev/add-ins/develop/sso-in-office-add-ins
      return office.auth.getAccessToken({ allowSignInPrompt: true, allowConsentPrompt: true });
    },
  };
}
