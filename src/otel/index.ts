/**
 * `puffle-chat/otel`: OpenTelemetry spans for the SDK, from its `diagnostics_channel` tracing
 * channels. Node only (it imports `node:diagnostics_channel` and `node:async_hooks`); the optional
 * peer `@opentelemetry/api` must be installed. Without a call to
 * {@link registerPuffleTelemetry} nothing subscribes, and the SDK creates no span and no message.
 *
 * The span tree of a `chat`: `invoke_agent puffle` (CLIENT) › `puffle dispatch runTurn` › the
 * `POST …/turn` request (CLIENT), then `puffle wait` › its `GET …/{sessionId}` reads. A span the
 * application has active when it calls the SDK is the parent of the SDK's first span (through
 * the global context manager the application registered, as usual with OpenTelemetry).
 *
 * @example
 * ```ts
 * import { registerPuffleTelemetry } from "puffle-chat/otel";
 * const stop = registerPuffleTelemetry(); // the global tracer provider
 * // … calls to the client are traced …
 * stop();
 * ```
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { type TracingChannel, tracingChannel } from "node:diagnostics_channel";
import {
  type Context,
  context as otelContext,
  type Span,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import {
  type DispatchTraceMessage,
  type MethodTraceMessage,
  PUFFLE_CHANNELS,
  type RequestTraceMessage,
  type RouteTraceMessage,
  type WaitTraceMessage,
} from "../core/trace-types";
import { VERSION } from "../version";
import * as spans from "./spans";

export type {
  DispatchTraceMessage,
  MethodTraceMessage,
  RequestTraceMessage,
  RouteTraceMessage,
  TraceOutcome,
  WaitTraceMessage,
} from "../core/trace-types";
export { PUFFLE_CHANNELS } from "../core/trace-types";

/**
 * Options of {@link registerPuffleTelemetry}.
 *
 * @example
 * ```ts
 * import type { PuffleTelemetryOptions } from "puffle-chat/otel";
 * const options: PuffleTelemetryOptions = { captureContent: false };
 * ```
 */
export interface PuffleTelemetryOptions {
  /** Where spans go; the global tracer provider when absent. */
  tracerProvider?: TracerProvider | undefined;
  /**
   * Record message and email content (the user's message, the reply, the draft's subject and
   * body) on the agent spans. Off by default: content may hold personal data. Keys and tokens
   * are never recorded, whatever this says.
   */
  captureContent?: boolean | undefined;
}

const ignore = (): void => {};

/** How one channel's messages become spans. */
interface SpanRules<M extends object> {
  start(message: M): spans.SpanStart;
  end(span: Span, message: M): void;
  /** Called once the span exists, before the operation runs. */
  started?(span: Span, message: M): void;
  /** Called with the span of the enclosing SDK operation when this one ends. */
  parentEnd?(parent: Span, message: M): void;
}

/**
 * Subscribe to the SDK's tracing channels and emit OpenTelemetry spans; returns the function that
 * unsubscribes (spans already started still end).
 *
 * @param options - the tracer provider and whether to capture content.
 * @returns a function that stops the telemetry.
 * @example
 * ```ts
 * import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
 * import { registerPuffleTelemetry } from "puffle-chat/otel";
 * const exporter = new InMemorySpanExporter();
 * const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
 * const stop = registerPuffleTelemetry({ tracerProvider });
 * stop();
 * ```
 */
export function registerPuffleTelemetry(options: PuffleTelemetryOptions = {}): () => void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("registerPuffleTelemetry: pass an options object, or nothing.");
  }
  const capture = options.captureContent === true;
  const provider = options.tracerProvider ?? trace.getTracerProvider();
  const tracer = provider.getTracer("puffle-chat", VERSION);
  // The SDK's own span of the operation in progress, for the parent of the next one: kept in a
  // store of ours, bound to the channels, so that it needs no context manager.
  const store = new AsyncLocalStorage<Context>();
  const open = new WeakMap<object, { span: Span; parent: Span | undefined }>();
  const stops: Array<() => void> = [];

  function follow<M extends object>(name: string, rules: SpanRules<M>): void {
    const channel = tracingChannel(name) as unknown as TracingChannel<Context, M>;
    const begin = (message: M): Context => {
      const parentContext = store.getStore() ?? otelContext.active();
      const { name: spanName, kind, attributes } = rules.start(message);
      const span = tracer.startSpan(spanName, { kind, attributes }, parentContext);
      open.set(message, { span, parent: store.getStore() && trace.getSpan(parentContext) });
      rules.started?.(span, message);
      return trace.setSpan(parentContext, span);
    };
    // Node's types want every event; the start is handled by the store binding above.
    const handlers = {
      start: ignore,
      end: ignore,
      asyncStart: ignore,
      error: (message: M) => {
        const entry = open.get(message);
        if (entry) spans.fail(entry.span, (message as { error?: unknown }).error);
      },
      asyncEnd: (message: M) => {
        const entry = open.get(message);
        if (!entry) return;
        open.delete(message);
        rules.end(entry.span, message);
        if (entry.parent) rules.parentEnd?.(entry.parent, message);
        entry.span.end();
      },
    };
    channel.start.bindStore(store, begin);
    channel.subscribe(handlers);
    stops.push(() => {
      channel.unsubscribe(handlers);
      channel.start.unbindStore(store);
    });
  }

  follow<MethodTraceMessage>(PUFFLE_CHANNELS.method, {
    start: (m) => spans.methodStart(m, capture),
    end: (span, m) => spans.methodEnd(span, m, capture),
  });
  follow<RequestTraceMessage>(PUFFLE_CHANNELS.request, {
    start: spans.requestStart,
    started: (span, m) => {
      m.traceparent = spans.traceparent(span);
    },
    end: spans.requestEnd,
  });
  follow<WaitTraceMessage>(PUFFLE_CHANNELS.wait, { start: spans.waitStart, end: spans.waitEnd });
  follow<DispatchTraceMessage>(PUFFLE_CHANNELS.dispatch, {
    start: spans.dispatchStart,
    end: (span, m) => span.setAttributes(spans.dispatchOutcome(m)),
    parentEnd: (parent, m) => parent.setAttributes(spans.dispatchOutcome(m)),
  });
  follow<RouteTraceMessage>(PUFFLE_CHANNELS.route, {
    start: spans.routeStart,
    end: spans.routeEnd,
  });
  return () => {
    for (const stop of stops.splice(0)) stop();
  };
}
