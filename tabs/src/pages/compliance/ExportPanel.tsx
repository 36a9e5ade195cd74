import { Button, Field, Link, ProgressBar, Select, Text, Title3, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import { ProblemBar } from "../../components/ProblemBar";
import { useSession } from "../../session";

const useStyles = makeStyles({
  section: { display: "grid", gap: tokens.spacingVerticalS, maxWidth: "40rem" },
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "end", flexWrap: "wrap" },
});

type Format = "jsonl" | "csv";

interface Progress {
  received: number;
  total: number | null;
  bytes: number;
  done: boolean;
  file?: { url: string; name: string; size: number };
}

function countNewlines(chunk: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) n++;
  return n;
}

function filenameOf(res: Response, format: Format): string {
  const m = /filename="?([^";]+)"?/.exec(res.headers.get("content-disposition") ?? "");
  return m?.[1] ?? `leeway-audit.${format}`;
}

/**
 * Streams the export and shows how far it got: the server announces the number of events in
 * X-Total-Count and writes one line per event (JSONL adds a few header and checkpoint lines).
 */
export function ExportPanel() {
  const s = useStyles();
  const { api } = useSession();
  const [format, setFormat] = useState<Format>("jsonl");
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  const url = progress?.file?.url;

  useEffect(() => () => abort.current?.abort(), []);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);

  const run = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setProgress({ received: 0, total: null, bytes: 0, done: false });
    try {
      const res = await api.governance.exportStream(format, controller.signal);
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => ({ title: res.statusText, status: res.status }))) as ApiError["problem"];
        throw new ApiError(res.status, { ...body, status: res.status });
      }
      const total = Number(res.headers.get("x-total-count")) || null;
      const name = filenameOf(res, format);
      const reader = res.body.getReader();
      const parts: Uint8Array[] = [];
      let lines = 0;
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        bytes += value.length;
        lines += countNewlines(value);
        // CSV starts with a header row; JSONL with a header line.
        setProgress({ received: Math.max(0, lines - 1), total, bytes, done: false });
      }
      const blob = new Blob(parts as BlobPart[], { type: format === "csv" ? "text/csv" : "application/x-ndjson" });
      const file = { url: URL.createObjectURL(blob), name, size: blob.size };
      setProgress({ received: total ?? Math.max(0, lines - 1), total, bytes, done: true, file });
      const a = document.createElement("a");
      a.href = file.url;
      a.download = name;
      a.click();
    } catch (err) {
      if ((err as Error).name !== "AbortError") setError(err);
      setProgress(null);
    } finally {
      abort.current = null;
    }
  };

  const running = !!progress && !progress.done;
  const share = progress?.total ? Math.min(1, progress.received / progress.total) : undefined;
  return (
    <section className={s.section} aria-labelledby="export-heading" data-testid="audit-export">
      <Title3 as="h2" id="export-heading">
        Export
      </Title3>
      <Text size={200}>JSON lines carry the whole chain with its signed checkpoints, so the file verifies offline. CSV has one row per event. The export itself is recorded in the trail.</Text>
      <div className={s.row}>
        <Field label="Format">
          <Select value={format} onChange={(_, d) => setFormat(d.value as Format)} disabled={running}>
            <option value="jsonl">JSON lines (verifiable)</option>
            <option value="csv">CSV</option>
          </Select>
        </Field>
        {running ? (
          <Button onClick={() => abort.current?.abort()}>Cancel</Button>
        ) : (
          <Button appearance="primary" onClick={() => void run()}>
            Export audit trail
          </Button>
        )}
      </div>
      {progress && (
        <Field
          label={progress.done ? "Export complete" : "Exporting…"}
          validationState={progress.done ? "success" : "none"}
          validationMessage={`${progress.received}${progress.total ? ` of ${progress.total}` : ""} events · ${(progress.bytes / 1024).toFixed(1)} kB`}
        >
          <ProgressBar value={progress.done ? 1 : share} max={1} thickness="large" data-testid="export-progress" />
        </Field>
      )}
      {progress?.file && (
        <Text>
          <Link href={progress.file.url} download={progress.file.name} data-testid="export-file">
            Save {progress.file.name}
          </Link>{" "}
          ({(progress.file.size / 1024).toFixed(1)} kB)
        </Text>
      )}
      <ProblemBar error={error} />
    </section>
  );
}
