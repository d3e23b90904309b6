/**
 * `runTurn` and `generateExamples` wired to the at-most-once rule (./dispatch.ts): the send, the
 * reconciling read (never cut short by the deadline), the busy wait, and the option defaults.
 *
 * @internal
 * @module
 */
import type * as z from "zod/mini";
import { registerSecret } from "../base/redact";
import type { DispatchOptions } from "../core/options";
import { hideToken } from "../core/run-handle";
import type { RunHandleSchema } from "../core/schemas";
import type {
  DispatchedRun,
  GenerateExamplesParams,
  RunHandle,
  TurnParams,
  WithRequestID,
} from "../core/types";
import type { CallOptions, CallSpec } from "../internal/http";
import { withRequestId } from "../internal/with-request-id";
import { toCallSpec } from "../resources/operation";
import { generateExamplesOp, runTurnOp } from "../resources/sessions";
import type { MethodContext } from "./context";
import { withDeadline } from "./context";
import { DEFAULT_RECONCILE_TIMEOUT_MS, dispatchAtMostOnce } from "./dispatch";
import { waitForIdleDetailed } from "./wait-for-idle";

/** Default of `busyTimeout`: how long a busy session is waited for with `onBusy: "wait"`, in ms. */
const DEFAULT_BUSY_TIMEOUT_MS = 300_000;

/** One dispatch: a turn or an example run, with checked arguments and options. */
export type DispatchRequest = (
  | { operation: "runTurn"; body: TurnParams }
  | { operation: "generateExamples"; body: GenerateExamplesParams }
) & {
  sessionId: string;
  /** Checked at the public edge; `deadlineAt` is set here when absent. */
  options: (CallOptions & DispatchOptions) | undefined;
  /** Counts every request sent (reads included), for `chat`'s report. */
  onRequest?: (() => void) | undefined;
};

/** A public dispatch method's run, from its checked arguments. */
type DispatchRun<A> = (
  ctx: MethodContext,
  args: A & { sessionId: string },
  options: DispatchRequest["options"],
) => Promise<WithRequestID<RunHandle>>;

/** POST a dispatch under the at-most-once rule and the onBusy policy. */
export function dispatch(
  ctx: MethodContext,
  request: DispatchRequest,
): Promise<WithRequestID<RunHandle>> {
  const { sessionId: id, onRequest } = request;
  const options = withDeadline(request.options) as (CallOptions & DispatchOptions) | undefined;
  const spec = dispatchSpec(request, options);
  return dispatchAtMostOnce({
    operation: request.operation,
    sessionId: id,
    message: request.operation === "runTurn" ? request.body.message : undefined,
    send: async () => {
      const result = await ctx.call(spec);
      registerSecret(result.data.publicAccessToken);
      // The token is read by name only: it never prints or serialises (core/run-handle.ts).
      const handle: DispatchedRun = hideToken({ ...result.data, reconciled: false });
      return withRequestId(handle, result.requestId);
    },
    // Reconciling is never cut short by the deadline: the outcome must be known, not guessed.
    read: () =>
      ctx.getSession(id, { ...options, deadline: undefined, deadlineAt: undefined }, onRequest),
    waitIdle: async (ms) => {
      await waitForIdleDetailed(ctx, id, {
        deadline: ms,
        signal: options?.signal,
        timeout: options?.timeout,
        poll: options?.poll,
      });
    },
    onBusy: options?.onBusy ?? "throw",
    onUnknown: options?.onUnknown ?? "throw",
    // The busy wait ends by busyTimeout, and never past the call's own deadline.
    busyDeadline: Math.min(
      Date.now() + (options?.busyTimeout ?? DEFAULT_BUSY_TIMEOUT_MS),
      options?.deadlineAt ?? Number.POSITIVE_INFINITY,
    ),
    reconcileTimeout: options?.reconcileTimeout ?? DEFAULT_RECONCILE_TIMEOUT_MS,
    maxSends: 1 + (options?.maxRetries ?? ctx.maxRetries),
    retryBaseDelay: ctx.settings.retryDelay,
    retryMaxDelay: ctx.settings.retryMaxDelay,
    deadlineAt: options?.deadlineAt ?? Number.POSITIVE_INFINITY,
    signal: options?.signal,
    memory: ctx.memory,
    logger: ctx.logger,
  });
}

/** `runTurn` with checked arguments. */
export const runTurn: DispatchRun<{ turn: TurnParams }> = (ctx, { sessionId, turn }, options) =>
  dispatch(ctx, { operation: "runTurn", sessionId, body: turn, options });

/** `generateExamples` with checked arguments. */
export const generateExamples: DispatchRun<{ params: GenerateExamplesParams }> = (ctx, a, o) =>
  dispatch(ctx, {
    operation: "generateExamples",
    sessionId: a.sessionId,
    body: a.params,
    options: o,
  });

/** The POST of a dispatch, from its declaration. */
function dispatchSpec(
  request: DispatchRequest,
  options: CallOptions | undefined,
): CallSpec<z.infer<typeof RunHandleSchema>> {
  const { sessionId, onRequest } = request;
  return request.operation === "runTurn"
    ? toCallSpec(runTurnOp, { sessionId, turn: request.body }, options, onRequest)
    : toCallSpec(generateExamplesOp, { sessionId, params: request.body }, options, onRequest);
}
