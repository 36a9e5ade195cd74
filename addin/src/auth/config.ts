// Identity settings of the task pane. The defaults are the local tenant's (`npm start`);
// a Microsoft 365 deployment sets the VITE_LEEWAY_* variables when it builds the add-in.
export const CLIENT_ID: string = import.meta.env.VITE_LEEWAY_CLIENT_ID ?? "11111111-1eee-4a11-8000-00000000a001";
export const API_SCOPE: string = import.meta.env.VITE_LEEWAY_API_SCOPE ?? "api://leeway/access_as_user";
/** Entra authority used inside Outlook (nested app authentication). */
export const AUTHORITY: string = import.meta.env.VITE_LEEWAY_AUTHORITY ?? "https://login.microsoftonline.com/organizations";

/** The demo organisations of the local tenant, for the sign-in choice outside Outlook. */
export const LOCAL_TENANTS = [
  { id: "c0c0c0c0-0000-4000-8000-000000000001", name: "Contoso" },
  { id: "fabf0000-0000-4000-8000-000000000002", name: "Fabrikam" },
] as const;
