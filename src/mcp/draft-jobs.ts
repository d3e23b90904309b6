/**
 * `draftCampaign` runs started by `puffle_draft_campaign`, one per campaign, in the background:
 * a campaign takes minutes, a tool call at most `maxWaitMs`. Each job keeps what its progress
 * events said per node, so `puffle_get_campaign` and a repeated call report it; a job that ended
 * is started again by the next call and resumes, from the transcripts and this factory's dispatch
 * store, where it stopped (never sending a planned message twice).
 *
 * @internal
 * @module
 */
import * as z from "zod";
import type { DispatchStore, DraftCampaignResult, DraftProgressEvent } from "../core/draft-types";
import { createMemoryStore } from "../lib/memory-store";
import type { ToolRefusal } from "./result";

/** What a job says of itself (in `puffle_draft_campaign` and `puffle_get_campaign`). */
export const DraftJobSchema = z.object({
  status: z
    .enum(["running", "done", "failed"])
    .describe("running: drafting in the background. done: every node ended. failed: see error."),
  started_ms_ago: z.number(),
  nodes: z.array(
    z.object({
      node_id: z.string(),
      session_id: z.string().nullable(),
      status: z.string().describe("started, turn_sent, waiting, drafted, needs_attention, failed…"),
      turns: z.number(),
      detail: z.string().nullable(),
    }),
  ),
  turns_sent: z.number().nullable().describe("Turns the finished run sent; null while running."),
  error: z.string().nullable(),
});

/** A job's report. */
export type DraftJobReport = z.infer<typeof DraftJobSchema>;

type NodeReport = DraftJobReport["nodes"][number];

/** One background `draftCampaign` run. */
export class DraftJob {
  readonly #started = Date.now();
  readonly #nodes = new Map<string, NodeReport>();
  #status: DraftJobReport["status"] = "running";
  #result: DraftCampaignResult | undefined;
  #failure: ToolRefusal | undefined;
  /** Settles (never rejects) when the run ends. */
  readonly settled: Promise<void>;

  constructor(
    run: (onProgress: (event: DraftProgressEvent) => void) => Promise<DraftCampaignResult>,
    refusalOf: (error: unknown) => ToolRefusal,
  ) {
    this.settled = Promise.resolve()
      .then(() => run((event) => this.#note(event)))
      .then(
        (result) => {
          this.#result = result;
          this.#status = "done";
        },
        (error: unknown) => {
          this.#failure = refusalOf(error);
          this.#status = "failed";
        },
      );
  }

  get running(): boolean {
    return this.#status === "running";
  }

  /** Why the run failed, as a refusal (`undefined` unless it failed). */
  get failure(): ToolRefusal | undefined {
    return this.#failure;
  }

  #note(event: DraftProgressEvent): void {
    const status = event.type === "node_started" ? "started" : event.type;
    this.#nodes.set(event.nodeId, {
      node_id: event.nodeId,
      session_id: event.sessionId,
      status,
      turns: event.turns,
      detail: event.detail.slice(0, 300) || null,
    });
  }

  report(): DraftJobReport {
    const nodes = this.#result
      ? this.#result.nodes.map((n) => ({
          node_id: n.nodeId,
          session_id: n.sessionId,
          status: n.status,
          turns: n.turns,
          detail: (n.reason ?? n.error ?? null)?.slice(0, 300) ?? null,
        }))
      : [...this.#nodes.values()];
    return {
      status: this.#status,
      started_ms_ago: Date.now() - this.#started,
      nodes,
      turns_sent: this.#result?.turnsSent ?? null,
      error: this.#failure ? `${this.#failure.message} Next: ${this.#failure.next}` : null,
    };
  }
}

/** The jobs of one factory, by campaign, and the dispatch store their reruns resume from. */
export class DraftJobs {
  readonly #jobs = new Map<string, DraftJob>();
  /** Shared by every run of this factory: a rerun knows the intents of the runs before it. */
  readonly store: DispatchStore = createMemoryStore();

  get(campaignId: string): DraftJob | undefined {
    return this.#jobs.get(campaignId.toLowerCase());
  }

  set(campaignId: string, job: DraftJob): void {
    this.#jobs.set(campaignId.toLowerCase(), job);
  }
}
