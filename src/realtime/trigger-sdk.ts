/**
 * The official Trigger.dev run transport, for Node: `@trigger.dev/core/v3`'s `ApiClient` (installed
 * with the optional peer dependency `@trigger.dev/sdk`), loaded with a dynamic `import()` only when
 * used. Not part of the browser entry `puffle-chat/realtime` (it weighs about 190 KB gzip).
 *
 * @module
 */

import { checkRealtimeOptions } from "./check-options";
import { RealtimeError, RealtimeMissingDependencyError, RealtimeProtocolError } from "./errors";
import { createChannel } from "./internal";
import { DEFAULT_TRIGGER_BASE_URL, type RunTransport, type SubscribeToRunOptions } from "./options";
import { normalizeRunError, type RunUpdate, statusFlags } from "./run-update";
import { createFeedFetch, createFeedStallTimer, feedError } from "./subscribe-to-run";

/**
 * The package users install to enable this transport.
 *
 * @example
 * ```ts
 * if (isRealtimeError(error, "missing_dependency")) console.log(`npm install ${TRIGGER_SDK_PACKAGE}`);
 * ```
 */
export const TRIGGER_SDK_PACKAGE = "@trigger.dev/sdk";
const CORE_SPECIFIER = "@trigger.dev/core/v3";
const WHAT = "realtime run feed";

/** The part of `@trigger.dev/core/v3` this transport uses. @internal */
interface CoreModule {
  ApiClient: new (
    baseUrl: string,
    accessToken: string,
  ) => {
    subscribeToRun(
      runId: string,
      options: {
        closeOnComplete?: boolean;
        signal?: AbortSignal;
        onFetchError?: (error: Error) => void;
        fetchClient?: typeof fetch;
      },
    ): AsyncIterable<Record<string, unknown>> & { unsubscribe?: () => void };
  };
}

/**
 * Options of {@link createTriggerSdkTransport}.
 *
 * @example
 * ```ts
 * const transport = createTriggerSdkTransport({ importModule: () => import("@trigger.dev/core/v3") });
 * ```
 */
export interface TriggerSdkTransportOptions {
  /**
   * Loads `@trigger.dev/core/v3`. Default: `import("@trigger.dev/core/v3")`. A loader that
   * rejects makes the transport fail with a `missing_dependency` {@link RealtimeError}.
   */
  importModule?: (() => Promise<unknown>) | undefined;
}

/**
 * Build a {@link RunTransport} on the official Trigger.dev client. Use
 * {@link subscribeToRunWithTriggerSdk} unless you need a custom module loader.
 *
 * @example
 * ```ts
 * const transport = createTriggerSdkTransport();
 * for await (const run of transport({ runId, publicAccessToken })) console.log(run.status);
 * ```
 */
export function createTriggerSdkTransport(config: TriggerSdkTransportOptions = {}): RunTransport {
  const importModule =
    config.importModule ??
    (() => import(/* webpackIgnore: true */ /* @vite-ignore */ CORE_SPECIFIER));
  let loaded: Promise<CoreModule> | undefined;
  const load = (runId: string): Promise<CoreModule> => {
    loaded ??= importModule().then((module) => {
      const core = module as Partial<CoreModule>;
      if (typeof core.ApiClient !== "function") throw new Error("ApiClient is not exported");
      return core as CoreModule;
    });
    return loaded.catch((error: unknown) => {
      loaded = undefined;
      throw new RealtimeMissingDependencyError({
        runId,
        packageName: TRIGGER_SDK_PACKAGE,
        cause: error instanceof Error ? new Error(error.message) : undefined,
      });
    });
  };
  return (options) => {
    checkRealtimeOptions("subscribeToRun", options);
    return { [Symbol.asyncIterator]: () => start(options, load) };
  };
}

/**
 * The same contract as {@link subscribeToRun} (same options, same {@link RunUpdate}s, same typed
 * errors, same abort behaviour), implemented with the official client:
 * `new ApiClient(triggerBaseURL, publicAccessToken).subscribeToRun(runId, { closeOnComplete: true,
 * signal, onFetchError })`. Credentials are per call (no process-global `configure`). Where the
 * official client would hang for ever (401, 403, 404 on the feed) this transport turns
 * `onFetchError` into `unauthorized` / `forbidden` / `not_found` errors and aborts it; 5xx and
 * network errors are retried `maxRetries` times, then `unreachable`; silence past
 * `stallTimeoutMs` is `stalled`.
 *
 * Requires the optional peer dependency `@trigger.dev/sdk` (which brings `@trigger.dev/core`);
 * without it, iteration fails with a `missing_dependency` {@link RealtimeMissingDependencyError}
 * naming the package. `@trigger.dev/core/v3` is imported by name, so it must be resolvable from
 * this package: true with npm and yarn (hoisted); with pnpm's strict layout add `@trigger.dev/core`
 * next to `@trigger.dev/sdk` (or pass `importModule` to {@link createTriggerSdkTransport}).
 * Node only: do not bundle it for browsers.
 *
 * @example
 * ```ts
 * // Not exported by any entry: the client loads this module lazily for
 * // `new PuffleClient({ realtime: { transport: "trigger-sdk" } })`.
 * import { subscribeToRunWithTriggerSdk } from "./trigger-sdk";
 *
 * for await (const run of subscribeToRunWithTriggerSdk({ runId, publicAccessToken })) {
 *   if (run.isCompleted) console.log(run.status, run.output);
 * }
 * ```
 */
export const subscribeToRunWithTriggerSdk: RunTransport = createTriggerSdkTransport();

function start(
  options: SubscribeToRunOptions,
  load: (runId: string) => Promise<CoreModule>,
): AsyncIterableIterator<RunUpdate> {
  const { runId, publicAccessToken: token } = options;
  const base = (options.triggerBaseURL ?? DEFAULT_TRIGGER_BASE_URL).replace(/\/+$/, "");
  const internal = new AbortController();
  let subscription: { unsubscribe?: () => void } | undefined;
  const channel = createChannel<RunUpdate>(options.signal, () => {
    stall.stop();
    internal.abort();
    try {
      subscription?.unsubscribe?.();
    } catch {
      // already stopped
    }
  });
  const fail = (error: unknown) => channel.fail(error);
  const stall = createFeedStallTimer(options, fail);
  if (channel.closed) return channel.iterator;

  void (async () => {
    const core = await load(runId);
    if (channel.closed) return;
    const client = new core.ApiClient(base, token);
    // The same hostile-input checks as the default transport: the official client hands a 409's
    // body to its subscribers unchecked and refetches without backoff.
    const fetchClient = createFeedFetch(options, fail, stall);
    stall.touch();
    const runs = client.subscribeToRun(runId, {
      closeOnComplete: true,
      signal: internal.signal,
      fetchClient,
      onFetchError: (error) => {
        if (!internal.signal.aborted) fail(feedError(error, runId, token, WHAT));
      },
    });
    subscription = runs;
    for await (const run of runs) {
      if (channel.closed) return;
      stall.touch();
      const update = fromOfficialRun(run);
      channel.push(update);
      if (update.isCompleted) {
        channel.end();
        return;
      }
    }
    if (!channel.closed) {
      fail(
        new RealtimeProtocolError({
          runId,
          what: WHAT,
          detail: "the feed ended before the run completed",
        }),
      );
    }
  })().catch((error: unknown) => {
    if (channel.closed || internal.signal.aborted) return;
    fail(error instanceof RealtimeError ? error : feedError(error, runId, token, WHAT));
  });

  return channel.iterator;
}

/**
 * Convert a run object of the official client into a {@link RunUpdate} (the same decoding as the
 * default transport: `isCompleted` means `finishedAt` is set).
 * @internal
 */
export function fromOfficialRun(run: Record<string, unknown>): RunUpdate {
  const status = String(run.status ?? "QUEUED");
  const finishedAt = asDate(run.finishedAt);
  const createdAt = asDate(run.createdAt) ?? new Date(0);
  const update: RunUpdate = {
    id: String(run.id),
    taskIdentifier: String(run.taskIdentifier ?? ""),
    status,
    ...statusFlags(status, finishedAt !== undefined),
    createdAt,
    updatedAt: asDate(run.updatedAt) ?? createdAt,
    tags: Array.isArray(run.tags) ? (run.tags as string[]) : [],
    realtimeStreams: Array.isArray(run.realtimeStreams) ? (run.realtimeStreams as string[]) : [],
    isTest: run.isTest === true,
    durationMs: typeof run.durationMs === "number" ? run.durationMs : 0,
    costInCents: typeof run.costInCents === "number" ? run.costInCents : 0,
    baseCostInCents: typeof run.baseCostInCents === "number" ? run.baseCostInCents : 0,
  };
  if (run.payload !== undefined) update.payload = run.payload;
  if (run.output !== undefined) update.output = run.output;
  if (typeof run.metadata === "object" && run.metadata !== null && !Array.isArray(run.metadata)) {
    update.metadata = run.metadata as Record<string, unknown>;
  }
  if (run.error !== undefined && run.error !== null) {
    const error = normalizeRunError(run.error);
    if (error) update.error = error;
  }
  for (const [key, source] of [
    ["startedAt", "startedAt"],
    ["queuedAt", "queuedAt"],
    ["delayedUntil", "delayedUntil"],
    ["expiredAt", "expiredAt"],
  ] as const) {
    const date = asDate(run[source]);
    if (date) update[key] = date;
  }
  if (finishedAt) update.finishedAt = finishedAt;
  if (typeof run.idempotencyKey === "string") update.idempotencyKey = run.idempotencyKey;
  return update;
}

function asDate(value: unknown): Date | undefined {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : undefined;
}
