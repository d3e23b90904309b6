/**
 * The one context of a public method call: built once per call by {@link runMethod}, it carries
 * the call's HTTP calls (remembering the last answer for `.withResponse()`), the client's
 * resolved settings and session memory, and the session read the waits use. The same object is
 * the `CallContext` of resources/, the `WaitContext` of the waits and the `FinishContext` of
 * finishSession.
 *
 * @internal
 * @module
 */
import { APIPromise } from "../core/api-promise";
import type { WaitOptions } from "../core/options";
import type { Session, WithRequestID } from "../core/types";
import { checkOptions, REQUEST_OPTIONS, type Spec, WAIT_OPTIONS } from "../internal/check-options";
import {
  type CallOptions,
  type CallResult,
  type CallSpec,
  call,
  type TransportConfig,
} from "../internal/http";
import type { SdkLogger } from "../internal/log";
import type { ResolvedOptions } from "../internal/options";
import { SessionMemory } from "../internal/session-memory";
import { validateId } from "../internal/validate";
import { type CallContext, type Operation, parseArgs } from "../resources/operation";
import { getSession } from "../resources/sessions";

/** What a client holds for the life of its method calls. */
export interface ClientState {
  readonly transport: TransportConfig;
  readonly settings: ResolvedOptions;
  readonly memory: SessionMemory;
}

/** The context of one method call. */
export interface MethodContext extends CallContext {
  /** Record an answer that did not come through `call` (a tolerated error). */
  answered(response: Response, requestId: string | undefined): void;
  /** The client's resolved options (defaults and environment applied). */
  readonly settings: ResolvedOptions;
  /** The client's default `maxRetries`. */
  readonly maxRetries: number;
  readonly logger: SdkLogger;
  readonly triggerBaseURL: string;
  readonly fetch: typeof globalThis.fetch | undefined;
  readonly realtime: ResolvedOptions["realtime"];
  /** Read a session (remembering it), for the waits and compositions. */
  getSession(
    id: string,
    options: CallOptions | undefined,
    onRequest?: () => void,
  ): Promise<WithRequestID<Session>>;
}

/** A client's state from its resolved options: the transport settings and an empty memory. */
export function clientState(o: ResolvedOptions): ClientState {
  const transport: TransportConfig = {
    ...{ apiKey: o.apiKey, baseURL: o.baseURL, fetch: o.fetch, timeout: o.timeout },
    ...{ maxRetries: o.maxRetries, headers: o.headers, logger: o.logger },
    ...{ maxRetryAfterMs: o.maxRetryAfter, retryBaseDelayMs: o.retryDelay },
    retryMaxDelayMs: o.retryMaxDelay,
    maxResponseBytes: o.maxResponseBytes,
  };
  return { settings: o, transport, memory: new SessionMemory() };
}

/**
 * Per-call options with `deadlineAt` set once, when the method starts, so that every request of
 * the method shares it. Only applies the deadline: the options were checked at the public edge.
 */
export function withDeadline(options: CallOptions | undefined): CallOptions | undefined {
  if (options === undefined) return undefined;
  const { deadline } = options;
  return {
    ...options,
    deadlineAt: options.deadlineAt ?? (deadline === undefined ? undefined : Date.now() + deadline),
  };
}

/**
 * Run one public method with its context; the last answer seen is what `.withResponse()` /
 * `.asResponse()` give back.
 */
export function runMethod<T>(
  client: ClientState,
  run: (ctx: MethodContext) => Promise<T>,
): APIPromise<T> {
  let last: { response: Response; requestId: string | undefined } | undefined;
  const { settings, memory, transport } = client;
  const ctx: MethodContext = {
    call: async <R>(spec: CallSpec<R>): Promise<CallResult<R>> => {
      const result = await call(transport, spec);
      last = result;
      return result;
    },
    answered: (response, requestId) => {
      last = { response, requestId };
    },
    memory,
    settings,
    maxRetries: settings.maxRetries,
    logger: settings.logger,
    triggerBaseURL: settings.triggerBaseURL,
    fetch: settings.fetch,
    realtime: settings.realtime,
    getSession: (id, options, onRequest) => getSession(ctx, { sessionId: id }, options, onRequest),
  };
  return new APIPromise(
    (async () => {
      const data = await run(ctx);
      return {
        data,
        response: last?.response ?? new Response(null, { status: 204 }),
        requestId: last?.requestId,
      };
    })(),
  );
}

/** Where an operation's arguments are declared: its operationId and argument schema. */
export type ArgsDeclaration<A> = Pick<Operation<A, unknown>, "operationId" | "request">;

/** What a method runs once its arguments and options are checked. */
export type OperationRun<A, T> = (
  ctx: MethodContext,
  args: A,
  options: CallOptions | undefined,
) => Promise<T>;

/** The arguments of {@link runOperation} after the client. */
export type OperationCall<A, T> = [
  op: ArgsDeclaration<A>,
  args: unknown,
  options: CallOptions | undefined,
  run: OperationRun<A, T>,
  spec?: Spec,
  name?: string,
];

/**
 * Run one method of one operation: check its arguments with the operation's declaration (named
 * `name` in errors), then its options with `spec` (in that order, nothing sent on either
 * failure), then `run` with the method's one deadline set.
 */
export function runOperation<A, T>(
  client: ClientState,
  ...[op, args, options, run, spec = REQUEST_OPTIONS, name = op.operationId]: OperationCall<A, T>
): APIPromise<T> {
  return runMethod(client, (ctx) => {
    const checked = parseArgs(op, args, name);
    checkOptions(name, "options", options, spec);
    return run(ctx, checked, withDeadline(options));
  });
}

/** `waitForIdle` and `waitForIdleDetailed` (named `name`): check the id, then the options. */
export function runWait<T>(
  client: ClientState,
  name: string,
  sessionId: string,
  options: WaitOptions,
  run: (ctx: MethodContext, id: string) => Promise<T>,
): APIPromise<T> {
  return runMethod(client, (ctx) => {
    const id = validateId("waitForIdle", "sessionId", sessionId);
    checkOptions(name, "options", options, WAIT_OPTIONS);
    return run(ctx, id);
  });
}
