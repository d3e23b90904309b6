/**
 * Reading and validating a chat route's JSON body: size-capped while it is read, bounded in time,
 * given up when the client leaves, nesting-capped before it is parsed, strict keys, clear issues.
 * Everything here answers 4xx (the client's doing) and is never reported to `onError`.
 *
 * @internal
 * @module
 */

import { UUID_PATTERN } from "../core/schemas";
import type { ChatRouteRequest } from "../realtime/chat-protocol";
import { RouteError } from "./route-error";

/** One problem with a request body. */
export interface BodyIssue {
  path: string;
  message: string;
}

/** The limits a route enforces on bodies. */
export interface BodyLimits {
  maxBodyBytes: number;
  /** The longest the whole body may take to arrive, in ms. */
  bodyTimeoutMs: number;
  maxMessageLength: number;
  maxLeads: number;
  maxLeadBytes: number;
}

/**
 * Deepest nesting of arrays and objects accepted in a body. A chat request is at most about six
 * levels deep (body, leads, a lead, its custom fields); 20 leaves room and stays far below the
 * depth where a recursive walk (`JSON.stringify`, the SDK's validation, a logger) exhausts the
 * stack: a 60 kB body nested 30 000 deep used to answer 500.
 */
export const MAX_JSON_DEPTH = 20;

/**
 * Read the body as text: 413 as soon as it exceeds `maxBodyBytes` (counted while reading), 408
 * when it has not fully arrived within `bodyTimeoutMs` (a body that never ends cannot hold the
 * route), and a {@link clientGone} refusal when the client aborts or its connection drops.
 */
export async function readBody(request: Request, limits: BodyLimits): Promise<string> {
  const { maxBodyBytes: maxBytes, bodyTimeoutMs } = limits;
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";
  const { signal } = request;
  if (signal.aborted) throw clientGone();
  const reader = request.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort = () => {};
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(bodyTimeout(bodyTimeoutMs)), bodyTimeoutMs);
    onAbort = () => reject(clientGone());
    signal.addEventListener("abort", onAbort, { once: true });
  });
  stopped.catch(() => {});
  const chunks: Uint8Array[] = [];
  let size = 0;
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), stopped]).catch(
        (error: unknown) => {
          // A read that fails is the client's connection dropping mid-upload.
          throw error instanceof RouteError ? error : clientGone();
        },
      );
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      chunks.push(value);
    }
    finished = true;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
    // Not awaited: a stalled source must not hold the answer.
    if (!finished) reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalid([{ path: "(body)", message: "is not valid UTF-8" }]);
  }
}

function tooLarge(maxBytes: number): RouteError {
  return new RouteError(
    413,
    "payload_too_large",
    `The request body is larger than ${maxBytes} bytes: send a shorter message or fewer leads.`,
  );
}

function bodyTimeout(ms: number): RouteError {
  return new RouteError(
    408,
    "request_timeout",
    `The request body did not arrive within ${ms} ms: check the connection and send again.`,
  );
}

/**
 * The refusal of a request whose client left (it aborted, or its connection dropped while it
 * uploaded): not a server failure, so never reported to `onError`; nobody reads the answer.
 */
export function clientGone(): RouteError {
  return new RouteError(
    499,
    "client_closed_request",
    "The client closed the request before it was answered.",
  );
}

/** True when `text` nests arrays and objects deeper than `max` (strings are skipped). */
function tooDeep(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 93 || c === 125) depth -= 1;
  }
  return false;
}

/** A 400 listing every issue. */
export function invalid(issues: BodyIssue[]): RouteError {
  const list = issues.map((i) => `${i.path} ${i.message}`).join("; ");
  return new RouteError(400, "invalid_request", `Invalid request: ${list}.`, { issues });
}

const KEYS = {
  turn: ["action", "sessionId", "message"],
  examples: ["action", "sessionId", "leads", "isFirstBatch"],
} as const;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Check a session id: a UUID. */
export function checkSessionId(value: unknown, issues: BodyIssue[], path = "sessionId"): void {
  if (typeof value !== "string" || !UUID_PATTERN.test(value)) {
    issues.push({
      path,
      message:
        value === undefined
          ? "is required (the Puffle session id, a UUID)"
          : "must be a UUID such as 3c90c3cc-0d44-4b50-8888-8dd25736052a",
    });
  }
}

/** Parse and validate a POST body; throws a 400 {@link RouteError} listing every issue. */
export function parseChatRequest(text: string, limits: BodyLimits): ChatRouteRequest {
  if (tooDeep(text, MAX_JSON_DEPTH))
    throw invalid([
      { path: "(body)", message: `nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels` },
    ]);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid([{ path: "(body)", message: "is not valid JSON" }]);
  }
  if (!isRecord(value)) {
    throw invalid([{ path: "(body)", message: "must be a JSON object" }]);
  }
  const issues: BodyIssue[] = [];
  const action = value.action;
  if (action !== "turn" && action !== "examples") {
    throw invalid([
      {
        path: "action",
        message: `must be "turn" or "examples" (got ${JSON.stringify(action) ?? "nothing"})`,
      },
    ]);
  }
  const allowed: readonly string[] = KEYS[action];
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      issues.push({
        path: key.slice(0, 64),
        message: `is not a known key for action "${action}" (allowed: ${allowed.join(", ")})`,
      });
    }
  }
  checkSessionId(value.sessionId, issues);
  if (action === "turn") {
    const message = value.message;
    if (typeof message !== "string" || message.trim() === "") {
      issues.push({ path: "message", message: "must be a non-empty string" });
    } else if (message.length > limits.maxMessageLength) {
      issues.push({
        path: "message",
        message: `is ${message.length} characters long; the limit is ${limits.maxMessageLength}`,
      });
    }
    if (issues.length > 0) throw invalid(issues);
    return { action, sessionId: value.sessionId as string, message: message as string };
  }
  const out: ChatRouteRequest = { action, sessionId: value.sessionId as string };
  if (value.leads !== undefined) {
    const leads = value.leads;
    if (!Array.isArray(leads) || leads.length === 0) {
      issues.push({ path: "leads", message: "must be a non-empty array of lead objects" });
    } else if (leads.length > limits.maxLeads) {
      issues.push({
        path: "leads",
        message: `has ${leads.length} leads; the limit is ${limits.maxLeads}`,
      });
    } else {
      leads.forEach((lead, i) => {
        if (!isRecord(lead)) issues.push({ path: `leads[${i}]`, message: "must be an object" });
        else if (JSON.stringify(lead).length > limits.maxLeadBytes)
          issues.push({
            path: `leads[${i}]`,
            message: `is larger than ${limits.maxLeadBytes} bytes`,
          });
      });
      out.leads = leads as Record<string, unknown>[];
    }
  }
  if (value.isFirstBatch !== undefined) {
    if (typeof value.isFirstBatch !== "boolean")
      issues.push({ path: "isFirstBatch", message: "must be true or false" });
    else out.isFirstBatch = value.isFirstBatch;
  }
  if (issues.length > 0) throw invalid(issues);
  return out;
}
