/**
 * The handle of a dispatched run: what `runTurn` and `generateExamples` resolve with, what the
 * waits follow, and what an error names when the run it leaves behind goes on (`PuffleError.run`).
 * Declared here, in the dependency-free root, so that the error base class can name it.
 *
 * @module
 */

/**
 * A dispatched Trigger.dev run as the server answers it: the run id and a short-lived, read-only
 * public token scoped to that one run (safe to hand to a browser). `reconciled` is `false` on
 * handles the SDK returns (absent on one you build yourself).
 *
 * @example
 * ```ts
 * import type { DispatchedRun } from "puffle-chat/types";
 * const handle: DispatchedRun = { runId: "run_abc123", publicAccessToken: "tr_pat_..." };
 * ```
 */
export interface DispatchedRun {
  /** The Trigger.dev run id (`run_…`). */
  runId: string;
  /** A short-lived, read-only token for this run only. */
  publicAccessToken: string;
  /** `false`: the server answered the dispatch. */
  reconciled?: false;
}

/**
 * The handle of a dispatch whose answer was lost (connection dropped, timeout) but that the SDK
 * proved happened by reading the session: the task is running, its run id and token are unknown.
 * Waiting on it polls the session. See the at-most-once rule in the README.
 *
 * @example
 * ```ts
 * import type { RunHandle } from "puffle-chat";
 * declare const run: RunHandle;
 * if (run.reconciled) console.log("dispatched; the answer was lost, so waiting will poll");
 * ```
 */
export interface ReconciledRun {
  runId: null;
  publicAccessToken: null;
  /** Always `true`: the SDK inferred this dispatch from the session's state. */
  reconciled: true;
}

/**
 * What `runTurn` and `generateExamples` resolve with: usually a {@link DispatchedRun}; a
 * {@link ReconciledRun} when the answer was lost after the server acted. `if (!run.reconciled)`
 * (or `run.runId !== null`) narrows to the token-bearing handle.
 *
 * @example
 * ```ts
 * import { PuffleClient, type RunHandle } from "puffle-chat";
 * const puffle = new PuffleClient();
 * const id = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
 * const run: RunHandle = await puffle.runTurn(id, { message: "Shorter please" });
 * if (!run.reconciled) console.log(run.runId, run.publicAccessToken.length); // both strings here
 * await puffle.waitForIdle(id, { run });
 * ```
 */
export type RunHandle = DispatchedRun | ReconciledRun;
