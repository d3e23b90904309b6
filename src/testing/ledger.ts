import type { EmulatorOperation } from "./types";

/**
 * What the emulated server actually did, so tests can prove the at-most-once dispatch rule.
 *
 * @module
 */

/**
 * One task the server really dispatched (a refused or failed dispatch is not listed).
 */
export interface LedgerDispatch {
  operation: "turn" | "generateExamples" | "generateContent";
  sessionId: string;
  /** The run id; null for generate-content, which runs inline. */
  runId: string | null;
  /** The user's message for turns. */
  message?: string;
  /** Epoch ms. */
  at: number;
}

/**
 * One campaign write the server really made (a refused request is not listed).
 */
export interface LedgerCampaignWrite {
  operation: "updateNode" | "updateCampaign" | "resolve" | "generateAi" | "updateMessage";
  campaignId: string;
  /** The node written (updateNode), or the AI node generated for (generateAi). */
  nodeId?: string;
  /** resolve: rows inserted or updated; generateAi: prospects queued. */
  rows?: number;
  /** generateAi: credits charged. */
  credits?: number;
  /** Epoch ms. */
  at: number;
}

/**
 * The ledger of one emulator (`emulator.ledger`).
 *
 * @example
 * ```ts
 * expect(emu.ledger.turns(sessionId)).toBe(1);
 * expect(emu.ledger.requests.turn).toBe(2); // two requests, one dispatch
 * ```
 */
export class Ledger {
  /** Requests received per operation (every request, whatever the answer). */
  readonly requests: Record<EmulatorOperation, number> = Ledger.#zero();
  /** Every task dispatched, in order. */
  readonly dispatches: LedgerDispatch[] = [];
  /** Every campaign write made, in order. */
  readonly campaignWrites: LedgerCampaignWrite[] = [];
  /**
   * When each Puffle API request arrived (epoch ms, in order; the Trigger.dev routes are not
   * Puffle's), and whether the rate limit refused it (`settings.requestsPerMinute`).
   */
  readonly apiRequests: Array<{ at: number; limited: boolean }> = [];

  static #zero(): Record<EmulatorOperation, number> {
    return {
      create: 0,
      list: 0,
      get: 0,
      update: 0,
      delete: 0,
      turn: 0,
      generateExamples: 0,
      generateContent: 0,
      getCampaign: 0,
      updateCampaign: 0,
      updateNode: 0,
      generateMessages: 0,
      listMessages: 0,
      updateMessage: 0,
      runFeed: 0,
      stream: 0,
    };
  }

  /**
   * Chat turns dispatched for `sessionId` (async turns and generate-content turns).
   *
   * @example
   * ```ts
   * expect(emu.ledger.turns(id)).toBe(1);
   * ```
   */
  turns(sessionId: string): number {
    return this.dispatches.filter(
      (d) => d.sessionId === sessionId && d.operation !== "generateExamples",
    ).length;
  }

  /**
   * Example runs dispatched for `sessionId`.
   *
   * @example
   * ```ts
   * expect(emu.ledger.exampleRuns(id)).toBe(1);
   * ```
   */
  exampleRuns(sessionId: string): number {
    return this.dispatches.filter(
      (d) => d.sessionId === sessionId && d.operation === "generateExamples",
    ).length;
  }

  /**
   * Puffle API requests per calendar minute (UTC), oldest first: how many arrived and how many the
   * rate limit refused.
   *
   * @example
   * ```ts
   * for (const m of emu.ledger.requestsPerMinute()) console.log(m.minute, m.requests, m.limited);
   * ```
   */
  requestsPerMinute(): Array<{ minute: string; requests: number; limited: number }> {
    const minutes = new Map<string, { minute: string; requests: number; limited: number }>();
    for (const { at, limited } of this.apiRequests) {
      const minute = new Date(at - (at % 60_000)).toISOString().slice(0, 16);
      const row = minutes.get(minute) ?? { minute, requests: 0, limited: 0 };
      row.requests += 1;
      if (limited) row.limited += 1;
      minutes.set(minute, row);
    }
    return [...minutes.values()];
  }

  /**
   * The most Puffle API requests the server accepted within any 60 s window (sliding): the figure
   * to compare with a client's or a fleet's `requestsPerMinute`.
   *
   * @example
   * ```ts
   * expect(emu.ledger.peakAcceptedPerMinute()).toBeLessThanOrEqual(60);
   * ```
   */
  peakAcceptedPerMinute(): number {
    const accepted = this.apiRequests.filter((r) => !r.limited).map((r) => r.at);
    let peak = 0;
    let start = 0;
    for (let end = 0; end < accepted.length; end++) {
      while ((accepted[end] as number) - (accepted[start] as number) >= 60_000) start++;
      peak = Math.max(peak, end - start + 1);
    }
    return peak;
  }

  /**
   * Forget everything recorded so far.
   *
   * @example
   * ```ts
   * beforeEach(() => emu.ledger.reset());
   * ```
   */
  reset(): void {
    this.dispatches.length = 0;
    this.campaignWrites.length = 0;
    this.apiRequests.length = 0;
    for (const key of Object.keys(this.requests) as EmulatorOperation[]) this.requests[key] = 0;
  }
}
