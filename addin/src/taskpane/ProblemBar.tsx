import { MessageBar, MessageBarBody, MessageBarTitle, Text } from "@fluentui/react-components";
import { ApiProblem } from "../api/problem";
import { SignInRequiredError } from "../auth/session";
import { AppointmentError } from "../office/appointment";

interface Props {
  error: unknown;
  /** Field paths the form shows beside its fields; other field errors are listed here. */
  fieldPaths?: string[];
}

/** One error, said plainly: a boundary refusal names the boundary and its rule. */
export function ProblemBar({ error, fieldPaths = [] }: Props) {
  if (!error) return null;
  if (error instanceof ApiProblem) {
    const others = error.otherErrors(fieldPaths);
    const shownBeside = error.touches(fieldPaths);
    return (
      <MessageBar intent={error.status === 422 || error.status === 409 ? "warning" : "error"} layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{error.isBoundary ? "Blocked by a compliance boundary" : error.status === 401 ? "Please sign in again (Sign out, then Sign in)" : error.title}</MessageBarTitle>
          {error.boundary ? (
            <div data-testid="boundary-problem">
              <Text weight="semibold">{error.boundary.name}</Text>: {error.boundary.rule}
              {error.detail ? <div>{error.detail}</div> : null}
            </div>
          ) : (
            error.detail && <span> {error.detail}</span>
          )}
          {others.length > 0 && (
            <ul>
              {others.map((e) => (
                <li key={`${e.path}:${e.message}`}>{e.path ? `${e.path}: ${e.message}` : e.message}</li>
              ))}
            </ul>
          )}
          {shownBeside && <div>See the messages beside the fields.</div>}
          {error.requestId && <Text size={200}> (request {error.requestId})</Text>}
        </MessageBarBody>
      </MessageBar>
    );
  }
  const title =
    error instanceof AppointmentError ? "Outlook could not change the appointment" : error instanceof SignInRequiredError ? "Please sign in again (Sign out, then Sign in)" : "Something went wrong";
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle> {error instanceof Error ? error.message : String(error)}
      </MessageBarBody>
    </MessageBar>
  );
}
