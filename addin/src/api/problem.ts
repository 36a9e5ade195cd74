// Errors from the Leeway API arrive as RFC 9457 problem+json. ApiProblem keeps what the pane shows:
// the title and detail, field errors by path, and for a boundary refusal the boundary and its rule.

export interface FieldProblem {
  path: string;
  message: string;
}

export interface BoundaryRef {
  id: string;
  name: string;
  kind: string;
  rule: string;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  requestId?: string;
  errors?: FieldProblem[];
  boundary?: BoundaryRef;
  findings?: { boundaryName: string; rule: string; message: string; path?: string }[];
}

export class ApiProblem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  readonly errors: FieldProblem[];
  readonly boundary: BoundaryRef | undefined;
  /** What each boundary found; a finding with a path belongs beside that field. */
  readonly findings: NonNullable<ProblemBody["findings"]>;

  constructor(status: number, body: ProblemBody) {
    super(body.detail ?? body.title ?? `The server answered ${status}.`);
    this.name = "ApiProblem";
    this.status = status;
    this.type = body.type ?? "about:blank";
    this.title = body.title ?? `Request failed (${status})`;
    this.detail = body.detail;
    this.requestId = body.requestId;
    this.errors = Array.isArray(body.errors) ? body.errors : [];
    this.boundary = body.boundary;
    this.findings = Array.isArray(body.findings) ? body.findings : [];
  }

  /** The message for one field (`confidence`, `ideas`), from a validation error or a boundary's finding. */
  fieldError(path: string): string | undefined {
    const on = (p: string | undefined) => p === path || (p ?? "").startsWith(`${path}.`);
    return this.errors.find((e) => on(e.path))?.message ?? this.findings.find((f) => on(f.path))?.message;
  }

  /** Whether any message of this problem is shown beside one of the given fields. */
  touches(paths: string[]): boolean {
    return paths.some((p) => this.fieldError(p) !== undefined);
  }

  /** Field errors the form has no field for; shown with the overall message. */
  otherErrors(knownPaths: string[]): FieldProblem[] {
    return this.errors.filter((e) => !knownPaths.some((p) => e.path === p || e.path.startsWith(`${p}.`)));
  }

  get isBoundary(): boolean {
    return this.status === 422 && this.boundary !== undefined;
  }
}

/** Reads an error response: problem+json when the server sent one, else a generic problem. */
export async function problemFrom(res: Response): Promise<ApiProblem> {
  let body: ProblemBody = {};
  try {
    const parsed: unknown = await res.json();
    if (parsed && typeof parsed === "object") body = parsed as ProblemBody;
  } catch {
    body = { title: res.statusText || `Request failed (${res.status})` };
  }
  return new ApiProblem(res.status, body);
}
