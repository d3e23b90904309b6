/**
 * The view of `puffle-chat draft-campaign`: one line per node (status, turns, elapsed), redrawn in
 * place on a terminal; plain event lines otherwise; JSON events with `--json`.
 *
 * @module
 */
import type { DraftNodeResult, DraftProgressEvent } from "../core/draft-types";
import type { CliOutput } from "./io";
import { createPrinter } from "./output";

/** What the view knows of one node. */
interface Row {
  index: number;
  nodeId: string;
  type: string;
  status: string;
  turns: number;
  startedAt: number | undefined;
  endedAt: number | undefined;
  detail: string;
}

const STATUS: Record<DraftProgressEvent["type"], string> = {
  node_started: "started",
  turn_sent: "turn sent",
  waiting: "waiting",
  drafted: "drafted",
  finished: "finished",
  needs_attention: "needs attention",
  failed: "failed",
};
const ENDED = new Set(["drafted", "finished", "needs_attention", "failed"]);

/** The live view: `update` on every progress event, `close` before the summary. */
export interface DraftView {
  update(event: DraftProgressEvent): void;
  close(): void;
}

/** Seconds since `from`, as `12s`. */
const elapsed = (from: number | undefined, to = Date.now()) =>
  from === undefined ? "-" : `${Math.round((to - from) / 1000)}s`;

/** One row as a line that fits `width`. */
export function formatRow(row: Row, width: number): string {
  const id = row.nodeId.slice(0, 8);
  const line = `${String(row.index + 1).padStart(2)}. ${row.type.padEnd(5)} ${id}  ${row.status.padEnd(15)} turns ${row.turns}  ${elapsed(row.startedAt, row.endedAt).padStart(4)}  ${row.detail}`;
  return line.length > width ? `${line.slice(0, Math.max(10, width - 1))}…` : line;
}

/**
 * A view of `nodes` (id and type, in order) on `out`: a table redrawn in place on a TTY (the
 * cursor moves up over it, so nothing else may write between updates), one line per event otherwise.
 */
export function createDraftView(
  out: CliOutput,
  nodes: Array<{ nodeId: string; type: string }>,
  json: boolean,
): DraftView {
  const print = createPrinter(out);
  const rows: Row[] = nodes.map((n, index) => ({
    ...{ index, nodeId: n.nodeId, type: n.type, status: "queued", turns: 0 },
    ...{ startedAt: undefined, endedAt: undefined, detail: "" },
  }));
  const live = !json && out.isTTY === true;
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    const width = Math.max(40, (out.columns ?? 100) - 1);
    const up = drawn > 0 ? `\x1b[${drawn}A` : "";
    const lines = rows.map((r) => `\x1b[2K${formatRow(r, width)}`);
    print.raw(`${up}${lines.join("\n")}\n`);
    drawn = rows.length;
  };
  if (live) {
    draw();
    timer = setInterval(draw, 1_000); // the elapsed column ticks
    timer.unref();
  }
  return {
    update(event) {
      const row = rows.find((r) => r.nodeId === event.nodeId);
      if (!row) return;
      row.status = STATUS[event.type];
      row.turns = event.turns;
      row.detail = event.type === "waiting" ? "" : event.detail;
      row.startedAt ??= Date.now();
      if (ENDED.has(event.type)) row.endedAt = Date.now();
      if (json) print.json({ event: "progress", ...event });
      else if (live) draw();
      else
        print.line(
          `[${elapsed(row.startedAt)}] node ${row.index + 1} (${row.type}) ${row.status}, turns ${row.turns}${row.detail ? `: ${row.detail}` : ""}`,
        );
    },
    close() {
      if (timer) clearInterval(timer);
      if (live) draw();
    },
  };
}

/** The summary line of one node's result. */
export function formatResult(n: DraftNodeResult, index: number): string {
  const why = n.error ? `: ${n.error}` : "";
  const dup = n.duplicates.length
    ? ` (double dispatch at message ${n.duplicates.map((d) => d + 1).join(", ")})`
    : "";
  return `${index + 1}. ${n.nodeType} ${n.nodeId}: ${n.status.replace("_", " ")}, ${n.turns} turns (${n.turnsSent} sent now)${dup}${why}`;
}
