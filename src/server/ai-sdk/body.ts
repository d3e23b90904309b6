/**
 * Reading what the AI SDK's stock `DefaultChatTransport` posts (`{ id, messages, trigger,
 * messageId? }`, plus what `body` adds) as one of the chat route's requests: the chat `id` is the
 * Puffle session id, the last user message is the turn.
 *
 * @internal
 * @module
 */

import type { ChatRouteRequest } from "../../realtime/chat-protocol";
import {
  type BodyIssue,
  type BodyLimits,
  checkSessionId,
  invalid,
  parseChatRequest,
  parseJsonObject,
} from "../body";

/**
 * The keys a post may carry: the transport's four, and the route's own `action` (`"turn"`, the
 * default, or `"examples"`) with the examples' `leads` and `isFirstBatch`, sent through the
 * transport's or `sendMessage`'s `body` option. Any other key is refused, as on the JSON protocol.
 */
const KEYS = ["id", "messages", "trigger", "messageId", "action", "leads", "isFirstBatch"];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Parse and check a post; throws a 400 listing every issue. */
export function parseAiSdkRequest(text: string, limits: BodyLimits): ChatRouteRequest {
  const value = parseJsonObject(text);
  const issues: BodyIssue[] = [];
  for (const key of Object.keys(value))
    if (!KEYS.includes(key))
      issues.push({
        path: key.slice(0, 64),
        message: `is not a known key (allowed: ${KEYS.join(", ")})`,
      });
  checkSessionId(value.id, issues, "id");
  checkTrigger(value.trigger, issues);
  const action = value.action ?? "turn";
  if (action !== "turn" && action !== "examples")
    issues.push({
      path: "action",
      message: `must be "turn" or "examples" (got ${String(action)})`,
    });
  const message = action === "turn" ? lastUserText(value.messages, limits, issues) : "";
  if (issues.length > 0) throw invalid(issues);
  const sessionId = value.id as string;
  if (action === "turn") return { action, sessionId, message };
  // An example run: the same checks, word for word, as the JSON protocol's `examples` action.
  const { leads, isFirstBatch } = value;
  return parseChatRequest(JSON.stringify({ action, sessionId, leads, isFirstBatch }), limits);
}

function checkTrigger(trigger: unknown, issues: BodyIssue[]): void {
  if (trigger === "submit-message") return;
  issues.push({
    path: "trigger",
    message:
      trigger === "regenerate-message"
        ? 'is "regenerate-message", which this route refuses: a Puffle transcript cannot drop a reply, and a second turn is paid again. Send a new message instead'
        : `must be "submit-message" (got ${JSON.stringify(trigger) ?? "nothing"})`,
  });
}

/** The text of the last message, which must be the user's: its text parts, joined. */
function lastUserText(messages: unknown, limits: BodyLimits, issues: BodyIssue[]): string {
  if (!Array.isArray(messages) || messages.length === 0) {
    issues.push({ path: "messages", message: "must be a non-empty array of UI messages" });
    return "";
  }
  const path = `messages[${messages.length - 1}]`;
  const last: unknown = messages[messages.length - 1];
  if (!isRecord(last) || last.role !== "user" || !Array.isArray(last.parts)) {
    issues.push({ path, message: 'must be the user\'s message: { role: "user", parts: [...] }' });
    return "";
  }
  const text = last.parts
    .filter(
      (p): p is { type: "text"; text: string } =>
        isRecord(p) && p.type === "text" && typeof p.text === "string",
    )
    .map((p) => p.text)
    .join("");
  if (text.trim() === "")
    issues.push({ path: `${path}.parts`, message: "must hold a non-empty text part (the turn)" });
  else if (text.length > limits.maxMessageLength)
    issues.push({
      path: `${path}.parts`,
      message: `is ${text.length} characters long; the limit is ${limits.maxMessageLength}`,
    });
  return text;
}
