/**
 * What this MCP server dispatched, shared by every server instance of one factory (stdio makes one
 * per connection, HTTP one per request): one lock per session, so two calls never decide and
 * dispatch at the same time, and the last dispatch of each session with its run handle, so a
 * repeated call joins that run instead of paying for another; and the background `draftCampaign`
 * runs of `puffle_draft_campaign`.
 *
 * @internal
 * @module
 */
import type { RunHandle } from "../core/types";
import { DraftJobs } from "./draft-jobs";

/** The last task this server dispatched on a session. */
export interface DeskEntry {
  kind: "turn" | "examples";
  /** The turn's message. */
  message?: string | undefined;
  /** The handle (its public token stays here: it never reaches a tool result). */
  run: RunHandle;
  /** User messages in the transcript just before the dispatch. */
  usersBefore: number;
  /** Epoch ms. */
  at: number;
}

const LIMIT = 1_000;

/** The locks and the last dispatches of one factory. */
export class Desk {
  /** The `draftCampaign` runs, by campaign. */
  readonly drafts = new DraftJobs();
  readonly #tails = new Map<string, Promise<unknown>>();
  readonly #last = new Map<string, DeskEntry>();

  /** Run `step` once every earlier step of `sessionId` has settled. */
  async exclusive<T>(sessionId: string, step: () => Promise<T>): Promise<T> {
    const id = sessionId.toLowerCase();
    const before = this.#tails.get(id) ?? Promise.resolve();
    const mine = before.catch(() => {}).then(step);
    const tail = mine.catch(() => {});
    this.#tails.set(id, tail);
    try {
      return await mine;
    } finally {
      if (this.#tails.get(id) === tail) this.#tails.delete(id);
    }
  }

  note(sessionId: string, entry: DeskEntry): void {
    const id = sessionId.toLowerCase();
    this.#last.delete(id);
    this.#last.set(id, entry);
    if (this.#last.size > LIMIT) {
      const oldest = this.#last.keys().next().value;
      if (oldest !== undefined) this.#last.delete(oldest);
    }
  }

  last(sessionId: string): DeskEntry | undefined {
    return this.#last.get(sessionId.toLowerCase());
  }
}
