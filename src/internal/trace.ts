/**
 * Publishing on the SDK's tracing channels (`core/trace-types.ts` has the names and messages).
 *
 * Why `process.getBuiltinModule` and not an import: the client also runs in bundles for workers
 * and edge runtimes, where a static `node:diagnostics_channel` import would not resolve; Node
 * (>= 22.3, below the SDK's floor), Bun and Deno answer it, elsewhere tracing is simply off. The
 * browser entries (`/realtime`, `/react`) never import this module.
 *
 * Why it costs nothing when off: `traced` checks `hasSubscribers` first and then only calls the
 * function; the message is built by a callback that is not called.
 *
 * @internal
 * @module
 */
import { PUFFLE_CHANNELS } from "../core/trace-types";

type Channels = typeof PUFFLE_CHANNELS;
interface TracingChannelLike {
  readonly hasSubscribers: boolean;
  tracePromise<T>(fn: () => Promise<T>, context: object): Promise<T>;
}
interface DiagnosticsChannelModule {
  tracingChannel(name: string): TracingChannelLike;
}

const dc = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.("node:diagnostics_channel") as DiagnosticsChannelModule | undefined;

const open = new Map<string, TracingChannelLike>();

function channel(name: string): TracingChannelLike | undefined {
  if (dc === undefined) return undefined;
  let found = open.get(name);
  if (found === undefined) {
    found = dc.tracingChannel(name);
    open.set(name, found);
  }
  return found;
}

/**
 * Run `fn` traced on the channel `which` with the message `message()` builds, or just run it when
 * nothing subscribes. A synchronous throw of `fn` becomes a rejection, so subscribers always see
 * `error` then `asyncEnd`.
 */
export function traced<T, M extends object>(
  which: keyof Channels,
  message: () => M,
  fn: (message: M | undefined) => Promise<T>,
): Promise<T> {
  const ch = channel(PUFFLE_CHANNELS[which]);
  if (ch === undefined || !ch.hasSubscribers) return fn(undefined);
  const m = message();
  return ch.tracePromise(async () => fn(m), m);
}
