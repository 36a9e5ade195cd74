// The redirect bridge MSAL Browser 5 needs: it hands the sign-in answer back to the tab.
import { broadcastResponseToMainFrame } from "@azure/msal-browser/redirect-bridge";

broadcastResponseToMainFrame().catch((err: unknown) => {
  const p = document.createElement("p");
  p.textContent = `Sign-in could not finish: ${err instanceof Error ? err.message : String(err)}`;
  document.body.append(p);
});
