// Matching admins' patterns against people's text under a time limit, so that no pattern can
// hold the server for everyone, and telling a pattern's own slowness from a stall of the machine.
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { SCAN_BUDGET_MS, type TextMatcher } from "../domain/text-matching";

// Matching runs in a context of its own with a time limit: Node stops a script that overruns it,
// a regular expression's backtracking included, so no pattern can hold the server for everyone.
const sandbox = vm.createContext(Object.create(null) as object);
vm.runInContext(
  `globalThis.matchAll = function (res, texts) {
    const out = [];
    for (let i = 0; i < res.length; i++) {
      const row = [];
      for (let j = 0; j < texts.length; j++) row.push(res[i].test(texts[j]));
      out.push(row);
    }
    return out;
  };`,
  sandbox,
);
const MATCH_ALL = new vm.Script("matchAll(res, texts)");

/** How many times matching stopped by a stall of the machine, not by the patterns, is tried again. */
const STALL_RETRIES = 2;

/**
 * Which texts each pattern matches (`result[pattern][text]`), or null when matching took longer
 * than the budget and was stopped.
 *
 * The limit is on elapsed time, which a loaded machine stretches: a process that waits for a
 * processor can reach the limit while its patterns did little work. An attempt stopped while the
 * thread matching used under half the budget in processor time is therefore tried again (twice at
 * most), so a busy moment rarely passes for a pattern that backtracks.
 */
export const matchWithin: TextMatcher = (res, texts, budgetMs = SCAN_BUDGET_MS) => {
  for (let attempt = 0; ; attempt++) {
    const before = scanThreadCpuMs();
    const result = matchOnce(res, texts, budgetMs);
    if (result !== null) return result;
    const usedMs = scanThreadCpuMs() - before;
    if (usedMs >= budgetMs / 2 || attempt >= STALL_RETRIES) return null;
  }
};

/**
 * Processor time (ms) of the thread the patterns run on. Linux keeps it per thread; the process's
 * total would also count its other threads (the garbage collector, the compiler), which can be
 * busy while the patterns wait for a processor. Elsewhere, the process's total.
 */
function scanThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    // After the command name in parentheses: state is field 3; utime and stime, in clock ticks
    // (100 a second), are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    if (Number.isFinite(ticks)) return ticks * 10;
  } catch {
    // Not Linux: fall through to the process's total.
  }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function matchOnce(res: readonly RegExp[], texts: readonly string[], budgetMs: number): boolean[][] | null {
  const scope = sandbox as { res?: readonly RegExp[]; texts?: readonly string[] };
  scope.res = res;
  scope.texts = texts;
  try {
    return MATCH_ALL.runInContext(sandbox, { timeout: budgetMs }) as boolean[][];
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return null;
    throw e;
  } finally {
    scope.res = undefined;
    scope.texts = undefined;
  }
}
