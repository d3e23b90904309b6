/**
 * How an API operation is declared, once, as data: its `operationId` (as in openapi.yaml), method,
 * path template, retry class, argument schema and response schema. The client, the compositions
 * in lib/, the parity test against openapi.yaml and the emulator all read these declarations.
 *
 * @internal
 * @module
 */
import type * as z from "zod/mini";
import { PuffleError } from "../base/puffle-error";
import type { CallOptions, CallResult, CallSpec, RetryClass } from "../internal/http";
import type { SessionMemory } from "../internal/session-memory";
import { validate } from "../internal/validate";

/** One operation of the Puffle API. `A` is its validated arguments, `R` its response body. */
export interface Operation<A, R> {
  /** The operationId in openapi.yaml, also the name errors and logs use. */
  readonly operationId: string;
  readonly method: CallSpec<R>["method"];
  /** The path template; `{name}` is filled from the argument of that name. */
  readonly path: string;
  readonly retry: RetryClass;
  /** The arguments, checked before anything is sent. */
  readonly request: z.ZodMiniType<A>;
  /** The 2xx body. */
  readonly response: z.ZodMiniType<R>;
  // Method syntax on purpose: the public argument types and the schemas' output types differ
  // only in index signatures, and method parameters compare both ways.
  /** The JSON body built from the arguments (none when absent). */
  body?(args: A): unknown;
  /** The query string built from the arguments (none when absent or empty). */
  query?(args: A): Record<string, string> | undefined;
}

/** Declare an operation (an identity function that keeps the argument and response types). */
export function defineOperation<A, R>(operation: Operation<A, R>): Operation<A, R> {
  return operation;
}

/** What the resource functions need: the method's HTTP calls and the client's session memory. */
export interface CallContext {
  call<T>(spec: CallSpec<T>): Promise<CallResult<T>>;
  readonly memory: SessionMemory;
}

/**
 * Check an operation's arguments; throws one RequestValidationError naming `operation` (the
 * operationId unless a composition calls it under its own name), nothing sent.
 */
export function parseArgs<A>(
  op: Pick<Operation<A, unknown>, "operationId" | "request">,
  value: unknown,
  operation = op.operationId,
): A {
  return validate(operation, op.request, value);
}

/** The transport call for `op` with validated `args`. */
export function toCallSpec<A, R>(
  op: Operation<A, R>,
  args: A,
  options: CallOptions | undefined,
  onRequest?: () => void,
): CallSpec<R> {
  const query = op.query?.(args);
  const body = op.body?.(args);
  return {
    operation: op.operationId,
    method: op.method,
    path: fillPath(op.path, args),
    template: op.path,
    ...(query !== undefined && Object.keys(query).length > 0 ? { query } : {}),
    ...(body === undefined ? {} : { body }),
    retry: op.retry,
    schema: op.response,
    options,
    onRequest,
  };
}

/** Make the call of `op` and resolve with its result. */
export function send<A, R>(
  ctx: CallContext,
  op: Operation<A, R>,
  args: A,
  options: CallOptions | undefined,
  onRequest?: () => void,
): Promise<CallResult<R>> {
  return ctx.call(toCallSpec(op, args, options, onRequest));
}

/** `path` with each `{name}` replaced by the argument of that name. */
export function fillPath(path: string, args: unknown): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = (args as Record<string, unknown>)[name];
    if (typeof value !== "string") throw new PuffleError(`path parameter ${name} is missing`);
    return encodeURIComponent(value);
  });
}
