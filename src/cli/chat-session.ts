/**
 * Which session the terminal chat opens (`--session <id>`, `--new`, or the node's oldest one,
 * resumed), and what the chat says when it leaves: the session id and the command to come back.
 *
 * @module
 */

import type { Session } from "../index";
import { CliError } from "./errors";
import type { Target } from "./target";

/**
 * Flags that choose the session.
 *
 * @example
 * ```ts
 * const choice: SessionChoice = { session: "3c90c3cc-0d44-4b50-8888-8dd25736052a" };
 * ```
 */
export interface SessionChoice {
  /** Start another session for the node instead of resuming its oldest one. */
  new?: boolean | undefined;
  /** Open this session (any node of the account), instead of the node's oldest one. */
  session?: string | undefined;
}

/**
 * How the session was opened: `new` (nothing said yet), `resumed` (the node's oldest session,
 * which already has messages or a draft), `opened` (named by `--session`).
 *
 * @example
 * ```ts
 * if (how === ("resumed" satisfies OpenedHow)) console.log("welcome back");
 * ```
 */
export type OpenedHow = "new" | "resumed" | "opened";

/**
 * Open the session the flags ask for. Without flags: `getOrCreateSession` (the node's oldest
 * session, so the next run comes back to it); `--new` creates another one, which only
 * `--session` finds again (the chat says so).
 *
 * @throws {@link CliError} for `--new` with `--session`; the SDK's errors (a `NotFoundError` for
 * a session that is not yours).
 * @example
 * ```ts
 * const { session, how } = await openSession(target, { new: true });
 * ```
 */
export async function openSession(
  target: Target,
  choice: SessionChoice,
): Promise<{ session: Session; how: OpenedHow }> {
  const { client } = target;
  if (choice.new && choice.session !== undefined)
    throw new CliError("--new starts another session and --session opens one: pass only one.");
  if (choice.session !== undefined)
    return { session: await client.getSession(choice.session), how: "opened" };
  const node = { campaign_id: target.campaignId, node_id: target.nodeId };
  if (choice.new) return { session: await client.createSession(node), how: "new" };
  const session = await client.getOrCreateSession(node);
  return { session, how: hasHistory(session) ? "resumed" : "new" };
}

/** Whether a session has been chatted in (messages) or holds a draft. */
function hasHistory(session: Session): boolean {
  return (session.messages?.length ?? 0) > 0 || !!session.draft_subject || !!session.draft_body;
}

/**
 * What the chat prints under "Session: …" about how it was opened (lines).
 *
 * @example
 * ```ts
 * openedLines(session, "resumed"); // ["Resuming this session: 4 messages so far (last change …). Its draft:"]
 * ```
 */
export function openedLines(session: Session, how: OpenedHow, isNewFlag: boolean): string[] {
  const count = session.messages?.length ?? 0;
  const so = `${count} message${count === 1 ? "" : "s"} so far (last change ${session.updated_at})`;
  if (how === "resumed")
    return [
      `Resuming this node's session: ${so}. Its draft is below; pass --new to start another session.`,
    ];
  if (how === "opened") return [`Opened session ${session.id}: ${so}.`];
  if (isNewFlag)
    return [
      `A new session. Without flags the chat resumes the node's oldest session; come back to this one with --session ${session.id}.`,
    ];
  return [];
}

/**
 * The line the chat ends with: the session id and how to come back to it (an embedded emulator's
 * sessions end with the process: it says so instead).
 *
 * @example
 * ```ts
 * endedLine("3c90…", "api"); // "Session 3c90… is kept. Come back to it with: puffle-chat chat --session 3c90…"
 * ```
 */
export function endedLine(sessionId: string, kind: Target["kind"]): string {
  if (kind === "emulator")
    return `Session ${sessionId} lived in the embedded emulator, which stops now: there is nothing to come back to (set PUFFLE_API_KEY to chat with a real or a separate emulator's API).`;
  return `Session ${sessionId} is kept. Come back to it with: puffle-chat chat --session ${sessionId}`;
}
