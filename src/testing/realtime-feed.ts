import type { EmulatorContext } from "./context";
import { BASE_HEADERS, fail } from "./http";
import { authorizeRun } from "./realtime-auth";
import { encodeRow, RUN_SCHEMA, type RunState, rowKey } from "./runs";

/**
 * `GET /realtime/v1/runs/{runId}`: the run feed in Electric's shape protocol. `offset=-1` gives a
 * snapshot; `live=true` with `handle` and `offset` is held until the row changes or `liveHoldMs`
 * pass; an unknown handle gets 409 must-refetch.
 *
 * @module
 */

let cursor = Math.floor(Date.now() / 1000);

function offsetOf(run: RunState): string {
  return `${run.version}_0`;
}

function answer(run: RunState, messages: unknown[], extra: Record<string, string>): Response {
  return new Response(JSON.stringify([...messages, { headers: { control: "up-to-date" } }]), {
    status: 200,
    headers: {
      ...BASE_HEADERS,
      "content-type": "application/json",
      "electric-handle": run.handle,
      "electric-offset": offsetOf(run),
      "electric-up-to-date": "",
      ...extra,
    },
  });
}

/** The 409 must-refetch answer, naming the run's current handle. */
export function mustRefetch(run: RunState): Response {
  return new Response(JSON.stringify([{ headers: { control: "must-refetch" } }]), {
    status: 409,
    headers: { ...BASE_HEADERS, "content-type": "application/json", "electric-handle": run.handle },
  });
}

function changes(ctx: EmulatorContext, run: RunState, since: number): unknown[] {
  const columns = ctx.runs.changedSince(run, since);
  if (columns.length === 0) return [];
  return [{ key: rowKey(run), value: encodeRow(run, columns), headers: { operation: "update" } }];
}

function waitForChange(
  ctx: EmulatorContext,
  run: RunState,
  since: number,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    if (run.version > since || signal.aborted) return resolve();
    const timer = setTimeout(done, ctx.settings.liveHoldMs);
    timer.unref?.();
    const unlisten = ctx.runs.listen(run, () => {
      if (run.version > since) done();
    });
    signal.addEventListener("abort", done, { once: true });
    const unregister = ctx.onShutdown(done);
    function done() {
      clearTimeout(timer);
      unlisten();
      signal.removeEventListener("abort", done);
      unregister();
      resolve();
    }
  });
}

/** Handle one request of the run feed. */
export async function runFeed(
  ctx: EmulatorContext,
  request: Request,
  runId: string,
): Promise<Response> {
  const run = authorizeRun(ctx, request, runId);
  if (run instanceof Response) return run;
  const params = new URL(request.url).searchParams;
  const offset = params.get("offset") ?? "-1";
  const schema = { "electric-schema": JSON.stringify(RUN_SCHEMA) };
  if (offset === "-1") {
    return answer(
      run,
      [{ key: rowKey(run), value: encodeRow(run), headers: { operation: "insert" } }],
      schema,
    );
  }
  const since = Number.parseInt(offset.split("_")[0] ?? "", 10);
  if (!Number.isSafeInteger(since)) return fail(400, "Invalid offset");
  if (params.get("handle") !== run.handle || since > run.version) return mustRefetch(run);
  if (params.get("live") !== "true") return answer(run, changes(ctx, run, since), schema);
  await waitForChange(ctx, run, since, request.signal);
  cursor += 1;
  return answer(run, changes(ctx, run, since), { "electric-cursor": String(cursor) });
}
