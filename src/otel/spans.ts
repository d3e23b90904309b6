/**
 * How each tracing channel's message becomes an OpenTelemetry span: its name, kind and
 * attributes when it starts, and what it learns when it ends. Pure functions of the messages; the
 * subscription itself is in `index.ts`.
 *
 * Content (the user's message, the reply, the draft) is read only when `captureContent` is on; no
 * key or token is ever read: run handles are reduced to their `runId`, and every string that
 * comes from an error passes through the SDK's redaction first.
 *
 * @internal
 * @module
 */
import {
  type Attributes,
  isSpanContextValid,
  type Span,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
} from "@opentelemetry/api";
import { redactText } from "../base/redact";
import type {
  DispatchTraceMessage,
  MethodTraceMessage,
  RequestTraceMessage,
  RouteTraceMessage,
  WaitTraceMessage,
} from "../core/trace-types";

/** What a span starts with. */
export interface SpanStart {
  name: string;
  kind: SpanKind;
  attributes: Attributes;
}

/** The methods that run the framework LLM (a turn or examples, waited for): GenAI agent spans. */
const AGENT_METHODS = new Set(["chat", "generateExamplesAndWait", "draftCampaignNode"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Drop the attributes that are absent, so that a span never carries `undefined`. */
function defined(attributes: Record<string, string | number | boolean | undefined>): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) out[k] = v;
  return out;
}

/** `invoke_agent puffle` for the agent methods, `puffle {method}` for the others. */
export function methodStart(m: MethodTraceMessage, captureContent: boolean): SpanStart {
  const agent = AGENT_METHODS.has(m.method);
  const attributes = defined({
    "puffle.method": m.method,
    "gen_ai.operation.name": agent ? "invoke_agent" : undefined,
    "gen_ai.provider.name": "puffle",
    "gen_ai.conversation.id": m.sessionId,
    "puffle.campaign.id": m.campaignId,
    "puffle.node.id": m.nodeId,
  });
  if (captureContent && m.message !== undefined) {
    attributes["gen_ai.input.messages"] = JSON.stringify([
      { role: "user", parts: [{ type: "text", content: m.message }] },
    ]);
  }
  return {
    name: agent ? "invoke_agent puffle" : `puffle ${m.method}`,
    kind: agent ? SpanKind.CLIENT : SpanKind.INTERNAL,
    attributes,
  };
}

/** The session, run and (with `captureContent`) reply and draft a method resolved with. */
export function methodEnd(span: Span, m: MethodTraceMessage, captureContent: boolean): void {
  const result = isObject(m.result) ? m.result : {};
  const session = isObject(result.session) ? result.session : result;
  span.setAttributes(
    defined({
      "gen_ai.conversation.id": m.sessionId ?? text(session.id) ?? text(result.sessionId),
      "puffle.campaign.id": m.campaignId ?? text(session.campaign_id),
      "puffle.node.id": m.nodeId ?? text(session.node_id),
      "puffle.run.id": runId(result.run) ?? runId(result),
    }),
  );
  if (!captureContent) return;
  span.setAttributes(
    defined({
      "gen_ai.output.messages":
        typeof result.reply === "string"
          ? JSON.stringify([
              { role: "assistant", parts: [{ type: "text", content: result.reply }] },
            ])
          : undefined,
      "puffle.draft.subject": text(session.draft_subject),
      "puffle.draft.body": text(session.draft_body),
    }),
  );
}

/** A run handle's id, never its token. */
function runId(value: unknown): string | undefined {
  return isObject(value) ? text(value.runId) : undefined;
}

/** `{METHOD} {route template}`, a CLIENT span per HTTP request. */
export function requestStart(m: RequestTraceMessage): SpanStart {
  const url = URL.canParse(m.url) ? new URL(m.url) : undefined;
  return {
    name: `${m.method} ${m.urlTemplate}`,
    kind: SpanKind.CLIENT,
    attributes: defined({
      "http.request.method": m.method,
      "url.template": m.urlTemplate,
      "url.full": url ? `${url.origin}${url.pathname}` : undefined,
      "server.address": url?.hostname,
      "server.port": url ? Number(url.port || (url.protocol === "https:" ? 443 : 80)) : undefined,
      "http.request.resend_count": m.resendCount > 0 ? m.resendCount : undefined,
      "puffle.operation": m.operation,
    }),
  };
}

/** The W3C `traceparent` of a span (the server may ignore it), or none for an invalid context. */
export function traceparent(span: Span): string | undefined {
  const c = span.spanContext();
  if (!isSpanContextValid(c)) return undefined;
  const sampled = (c.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
  return `00-${c.traceId}-${c.spanId}-${sampled ? "01" : "00"}`;
}

/** The status of the answer; 4xx and 5xx are errors of a client span. */
export function requestEnd(span: Span, m: RequestTraceMessage): void {
  const status = isObject(m.result) && typeof m.result.status === "number" ? m.result.status : 0;
  if (status === 0) return;
  span.setAttribute("http.response.status_code", status);
  if (status >= 400) {
    span.setAttribute("error.type", String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

/** `puffle wait`: one wait until idle. */
export function waitStart(m: WaitTraceMessage): SpanStart {
  return {
    name: "puffle wait",
    kind: SpanKind.INTERNAL,
    attributes: { "gen_ai.conversation.id": m.sessionId },
  };
}

/** The wait's mode, its fallback reason and the requests it made (set however it ended). */
export function waitEnd(span: Span, m: WaitTraceMessage): void {
  span.setAttributes(
    defined({
      "puffle.wait.mode": m.mode,
      "puffle.wait.fallback":
        m.fallbackReason === undefined ? undefined : redactText(m.fallbackReason),
      "puffle.wait.requests": m.requests,
      "puffle.run.id": isObject(m.result) ? runId(m.result.run) : undefined,
    }),
  );
}

/** `puffle dispatch {operation}`: the paid dispatch with its at-most-once rule. */
export function dispatchStart(m: DispatchTraceMessage): SpanStart {
  return {
    name: `puffle dispatch ${m.operation}`,
    kind: SpanKind.INTERNAL,
    attributes: { "gen_ai.conversation.id": m.sessionId, "puffle.operation": m.operation },
  };
}

/** `sent` with the run id, or the error's own word on whether it was dispatched. */
export function dispatchOutcome(m: DispatchTraceMessage): Attributes {
  if (m.error === undefined) {
    return defined({ "puffle.dispatch.outcome": "sent", "puffle.run.id": runId(m.result) });
  }
  const e = isObject(m.error) ? m.error : {};
  return defined({
    "puffle.dispatch.outcome": text(e.dispatch),
    "puffle.run.id": isObject(e.run) ? runId(e.run) : undefined,
  });
}

/** `{METHOD} {path}`, a SERVER span per request to the chat route. */
export function routeStart(m: RouteTraceMessage): SpanStart {
  return {
    name: `${m.method} ${m.path}`,
    kind: SpanKind.SERVER,
    attributes: { "http.request.method": m.method, "url.path": m.path },
  };
}

/** The status the route answered; a 5xx is an error of a server span (a 4xx is the client's). */
export function routeEnd(span: Span, m: RouteTraceMessage): void {
  const status = isObject(m.result) && typeof m.result.status === "number" ? m.result.status : 0;
  if (status === 0) return;
  span.setAttribute("http.response.status_code", status);
  if (status >= 500) {
    span.setAttribute("error.type", String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

/** A failed operation: error status, `error.type` = the SDK's error class, the redacted message. */
export function fail(span: Span, error: unknown): void {
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? redactText(error.message) : undefined;
  span.setAttribute("error.type", name);
  const e = isObject(error) ? error : {};
  if (typeof e.dispatch === "string") span.setAttribute("puffle.dispatch.outcome", e.dispatch);
  if (isObject(e.run) && runId(e.run) !== undefined)
    span.setAttribute("puffle.run.id", runId(e.run) as string);
  span.setStatus({ code: SpanStatusCode.ERROR, ...(message === undefined ? {} : { message }) });
}
