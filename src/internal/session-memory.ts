/**
 * What a client last saw of each session: the state before a dispatch, which reconciling a lost
 * answer compares against (docs/architecture.md "Dispatch rule").
 *
 * @internal
 * @module
 */
import type { Session } from "../core/types";

/** What this client last saw of a session: the "claim seen before sending". */
export interface SessionMemo {
  /** User messages in the transcript. */
  users: number;
  taskStatus: string | null;
  /** A fingerprint of `generated_examples`. */
  examples: number;
  /** When it was seen (epoch ms). */
  at: number;
}

/** A cheap hash of a JSON value (FNV-1a over its JSON text). */
export function fingerprint(value: unknown): number {
  const text = JSON.stringify(value ?? null) ?? "";
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/** Remember what a session looked like (bounded per client). */
export class SessionMemory {
  readonly #memos = new Map<string, SessionMemo>();
  constructor(readonly limit = 1_000) {}

  note(sessionId: string, session: Session): void {
    const id = sessionId.toLowerCase();
    this.#memos.delete(id);
    this.#memos.set(id, {
      users: (session.messages ?? []).filter((m) => m?.role === "user").length,
      taskStatus: session.task_status ?? null,
      examples: fingerprint(session.generated_examples),
      at: Date.now(),
    });
    if (this.#memos.size > this.limit) {
      const oldest = this.#memos.keys().next().value;
      if (oldest !== undefined) this.#memos.delete(oldest);
    }
  }

  get(id: string): SessionMemo | undefined {
    return this.#memos.get(id.toLowerCase());
  }
}
