import { MessageBar, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import { ApiError, messageOf } from "../api/client";

/**
 * A write the server refused, explained: a compliance boundary by its name and rule, a refusal
 * (403) in the server's words, invalid fields as a summary (the fields show their own messages).
 * A boundary's finding whose message a field already shows beside it (`shownOnFields`) is left to
 * that field, so nothing is read out twice; every other finding is listed here.
 */
export function ProblemBar({ error, shownOnFields = [] }: { error: unknown; shownOnFields?: readonly (string | undefined)[] }) {
  if (!error) return null;
  // A write a boundary blocked names the boundary and its rule. Other problems may name a boundary
  // too (a narrower one looser than a wider one names the wider), and say what is wrong in detail.
  if (error instanceof ApiError && error.problem.boundary?.rule) {
    const { boundary } = error.problem;
    const findings = (error.problem.findings ?? []).filter((f) => !shownOnFields.includes(f.message));
    return (
      <MessageBar intent="error" layout="multiline" role="alert" data-testid="boundary-block">
        <MessageBarBody>
          <MessageBarTitle>Blocked by the compliance boundary “{boundary.name}”</MessageBarTitle>
          <div>Rule: {boundary.rule}</div>
          {findings.map((f, i) => (
            <div key={i}>{f.message}</div>
          ))}
        </MessageBarBody>
      </MessageBar>
    );
  }
  const title =
    error instanceof ApiError
      ? error.status === 403
        ? "Not allowed"
        : error.status === 400
          ? "Some fields need attention"
          : error.status === 409
            ? "This cannot be done now"
            : error.problem.title
      : "Something went wrong";
  return (
    <MessageBar intent="error" layout="multiline" role="alert" data-testid="problem">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {messageOf(error)}
      </MessageBarBody>
    </MessageBar>
  );
}

/** Boundary warnings that let a write through: shown after it, so the person knows. */
export function WarningsBar({ warnings }: { warnings: { boundaryName: string; rule: string; message: string }[] | undefined }) {
  if (!warnings?.length) return null;
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>Saved, with a compliance warning</MessageBarTitle>
        {warnings.map((w, i) => (
          <div key={i}>
            {w.boundaryName}: {w.message} (rule: {w.rule})
          </div>
        ))}
      </MessageBarBody>
    </MessageBar>
  );
}
