/**
 * Options shared by the realtime transports, and the {@link RunTransport} contract.
 *
 * @module
 */

import type { RunUpdate } from "./run-update";

/**
 * The Trigger.dev API host used when `triggerBaseURL` is not given.
 *
 * @example
 * ```ts
 * subscribeToRun({ runId, publicAccessToken, triggerBaseURL: DEFAULT_TRIGGER_BASE_URL });
 * ```
 */
export const DEFAULT_TRIGGER_BASE_URL = "https://api.trigger.dev";

/**
 * Options of {@link subscribeToRun} and of every {@link RunTransport}.
 */
export interface SubscribeToRunOptions {
  /** The run to follow (`run_…`), from a Puffle RunHandle. */
  runId: string;
  /** The run's public access token (`tr_pat_…`), from the same RunHandle. Never logged. */
  publicAccessToken: string;
  /** The Trigger.dev API host. Default `"https://api.trigger.dev"`. */
  triggerBaseURL?: string | undefined;
  /**
   * Stops the subscription at once: the pending `next()` rejects with `signal.reason` (by default a
   * `DOMException` named `AbortError`), the connection is closed and no timer is left behind.
   */
  signal?: AbortSignal | undefined;
  /** The fetch to use. Default: `globalThis.fetch`, looked up on every request (msw works). */
  fetch?: typeof fetch | undefined;
  /**
   * Fail with a `stalled` {@link RealtimeError} when no answer at all arrives for this long.
   * The run feed long-polls for about 20 s, so keep it well above that. Default `60_000`; `0`
   * disables it.
   */
  stallTimeoutMs?: number | undefined;
  /**
   * Retries after a network error, 5xx, 408 or 429 before failing with an `unreachable`
   * {@link RealtimeError}. The count restarts after every successful answer. Default `5`.
   */
  maxRetries?: number | undefined;
}

/**
 * A run transport: anything that turns `SubscribeToRunOptions` into an async iterable of
 * {@link RunUpdate}s that ends after the update with `isCompleted` (completedAt set) and throws
 * typed {@link RealtimeError}s. `subscribeToRun` (Electric, browser-safe) and
 * `subscribeToRunWithTriggerSdk` (`@trigger.dev/sdk`, Node) both satisfy it.
 *
 * @example
 * ```ts
 * const transport: RunTransport = subscribeToRun;
 * for await (const run of transport({ runId, publicAccessToken })) console.log(run.status);
 * ```
 */
export type RunTransport = (options: SubscribeToRunOptions) => AsyncIterable<RunUpdate>;
