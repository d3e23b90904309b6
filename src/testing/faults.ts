import type { EmulatorOperation, RunFailureStatus } from "./types";

/**
 * Faults on demand: each injected fault applies to the next matching requests (`times`, default 1),
 * one fault per request, first injected first used.
 *
 * @module
 */

/**
 * What goes wrong.
 * - `dispatch500`: turn / generate-examples / generate-content claim the session, release the claim,
 *   answer 500 (retryable); on any other operation, a plain 500 before acting.
 * - `rateLimit`: 429 with `Retry-After: <retryAfterSeconds>` before acting.
 * - `dropBefore` / `dropAfter`: the connection is dropped before / after the server acted.
 * - `delay`: the answer is held `delayMs` first, then given normally.
 * - `malformedJson` / `nonJson`: the server acts, then answers with a truncated JSON body / a
 *   `text/plain` body, keeping the real status.
 * - `html502`: an HTML 502 page from a "proxy", before acting.
 * - `status`: answer `status` (default 500) with an error body, before acting. On `runFeed` and
 *   `stream` this is "a feed that answers 401 / 500".
 * - `expiredToken`: on turn / generate-examples the minted token is already expired; on `runFeed` /
 *   `stream` the request is refused with 401 as if its token had expired.
 * - `runFails`: the task's run ends with `failureStatus` (default `COMPLETED_WITH_ERRORS`) and an error.
 * - `stuckTaskStatus`: the run completes but the session's `task_status` is never cleared.
 * - `mustRefetch`: the run feed answers 409 must-refetch with a new shape handle.
 * - `body`: the server acts, then the answer's body is replaced by `body` (and its status by
 *   `status`, its content type by `contentType`, when given), keeping its other headers: a run feed
 *   answering `200 {"not":"an array"}` with valid Electric headers, a 409 HTML page, a garbled 2xx;
 *   on `turn` / `generateExamples` with `status: 500`, a task that was dispatched although the
 *   answer is a 500 (a proxy's page, a crash after the trigger, a failed write of the answer),
 *   unlike `dispatch500`, which releases the claim.

 *
 * @example
 * ```ts
 * emu.faults.inject({ operation: "turn", kind: "runFails", failureStatus: "CRASHED" });
 * ```
 */
export type FaultKind =
  | "dispatch500"
  | "rateLimit"
  | "dropBefore"
  | "dropAfter"
  | "delay"
  | "malformedJson"
  | "nonJson"
  | "html502"
  | "status"
  | "expiredToken"
  | "runFails"
  | "stuckTaskStatus"
  | "mustRefetch"
  | "body";

/**
 * A fault to inject.
 *
 * @example
 * ```ts
 * const spec: FaultSpec = { operation: "runFeed", kind: "status", status: 401, times: 2 };
 * emu.faults.inject(spec);
 * ```
 */
export interface FaultSpec {
  /** Which operation it hits; `"*"` for any. */
  operation: EmulatorOperation | "*";
  kind: FaultKind;
  /** How many matching requests it hits. Default 1; `Infinity` for every one. */
  times?: number;
  /** `rateLimit`: the `Retry-After` value in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** `delay`: how long the answer is held, in ms. Default 1000. */
  delayMs?: number;
  /** `status`: the HTTP status to answer. Default 500. `body`: the status (default: the real one). */
  status?: number;
  /** `body`: the text of the answer. Default `""`. */
  body?: string;
  /** `body`: the content type of the answer. Default: the real answer's. */
  contentType?: string;
  /** `runFails`: the database status the run ends with. Default `COMPLETED_WITH_ERRORS`. */
  failureStatus?: RunFailureStatus;
  /** `runFails`: the error message of the run. Default `"Emulated task failure"`. */
  errorMessage?: string;
}

/**
 * A fault in the queue, with what is left of it.
 *
 * @example
 * ```ts
 * const fault: ActiveFault = emu.faults.inject({ operation: "get", kind: "delay", delayMs: 500 });
 * fault.remaining; // 1
 * ```
 */
export interface ActiveFault extends FaultSpec {
  /** Requests it will still hit. */
  remaining: number;
}

/**
 * The fault queue of one emulator (`emulator.faults`).
 *
 * @example
 * ```ts
 * emu.faults.inject({ operation: "turn", kind: "dispatch500", times: 1 });
 * emu.faults.inject({ operation: "get", kind: "rateLimit", retryAfterSeconds: 2 });
 * emu.faults.clear();
 * ```
 */
export class Faults {
  #queue: ActiveFault[] = [];

  /**
   * Queue a fault for the next `times` matching requests (default 1).
   *
   * @throws {RangeError} when `times` is not a positive number.
   * @example
   * ```ts
   * emu.faults.inject({ operation: "turn", kind: "dropAfter" });
   * ```
   */
  inject(spec: FaultSpec): ActiveFault {
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new RangeError("times must be a positive number");
    const fault: ActiveFault = { ...spec, remaining: times };
    this.#queue.push(fault);
    return fault;
  }

  /**
   * Take the first fault matching `operation` (and `kinds`, when given), counting one use.
   *
   * @example
   * ```ts
   * const fault = emu.faults.take("get");
   * ```
   */
  take(operation: EmulatorOperation, kinds?: readonly FaultKind[]): ActiveFault | undefined {
    const index = this.#queue.findIndex(
      (f) =>
        (f.operation === "*" || f.operation === operation) && (!kinds || kinds.includes(f.kind)),
    );
    if (index < 0) return undefined;
    const fault = this.#queue[index] as ActiveFault;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#queue.splice(index, 1);
    return fault;
  }

  /**
   * Faults still queued.
   *
   * @example
   * ```ts
   * expect(emu.faults.pending()).toHaveLength(0);
   * ```
   */
  pending(): readonly ActiveFault[] {
    return [...this.#queue];
  }

  /**
   * Remove every queued fault.
   *
   * @example
   * ```ts
   * afterEach(() => emu.faults.clear());
   * ```
   */
  clear(): void {
    this.#queue = [];
  }
}
