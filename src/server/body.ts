/**
 * Reading and validating a chat route's JSON body: size-capped, strict keys, clear issues.
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
  maxMessageLength: number;
  maxLeads: number;
  maxLeadBytes: number;
}

/** Read the body as text, refusing (413) as soon as it exceeds `maxBytes`. */
export async function readBody(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } finally {
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
