import { PuffleError } from "../base/puffle-error";
import { DEFAULT_SETTINGS, type EmulatorContext, type EmulatorSettings } from "./context";
import {
  type EmulatorRunInfo,
  insertCampaign,
  insertLead,
  insertNode,
  insertUser,
  runInfo,
} from "./emulator-rows";
import { Faults } from "./faults";
import { randomUuid } from "./ids";
import { Ledger } from "./ledger";
import { buildMswHandlers, type MswHandler, type MswHandlerOptions } from "./msw-adapter";
import { type ListenOptions, serveNode } from "./node-server";
import { RateLimiter } from "./rate-limit";
import { route } from "./router";
import { RunRegistry } from "./runs";
import { Scheduler } from "./scheduler";
import {
  type EmulatorDemo,
  type SeedCampaignOptions,
  type SeededCampaign,
  seedCampaign,
  seedDemo,
} from "./seed";
import { Store } from "./store";
import type { CampaignRow, GeneratedMessageRow, LeadRow, NodeRow, SessionRow } from "./types";

/**
 * The emulator object: state, handler, adapters, inspection.
 *
 * @module
 */

/**
 * Options of {@link createEmulator}; every setting has a default (see {@link EmulatorSettings}).
 */
export type EmulatorOptions = Partial<EmulatorSettings>;

/**
 * A running `node:http` emulator server.
 *
 * @example
 * ```ts
 * const server: ListeningEmulator = await createEmulator().listen();
 * await server.close();
 * ```
 */
export interface ListeningEmulator {
  /** Base URL for both the Puffle API and the Trigger.dev realtime endpoints (no trailing slash). */
  url: string;
  /** The port it listens on. */
  port: number;
  /** The demo user's API key. */
  apiKey: string;
  /** The emulator behind the server. */
  emulator: Emulator;
  /**
   * Stop the server: end held long-polls and stream answers, destroy connections, cancel running
   * tasks and clear their timers. Never hangs; calling it twice is fine.
   */
  close(): Promise<void>;
}

/**
 * An emulated Puffle API plus Trigger.dev realtime endpoints, in memory. Create it with
 * {@link createEmulator}.
 *
 * @example
 * ```ts
 * const emu = createEmulator({ taskDurationMs: 50 });
 * const server = await emu.listen();
 * const res = await fetch(`${server.url}/api/campaigns/ai-chat-sessions`, {
 *   method: "POST",
 *   headers: { authorization: `Bearer ${emu.demo.apiKey}`, "content-type": "application/json" },
 *   body: JSON.stringify({ campaign_id: emu.demo.campaignId, node_id: emu.demo.nodeId }),
 * });
 * await server.close();
 * ```
 */
export class Emulator {
  /** Seeded demo data: users, keys, campaigns, nodes, leads. */
  readonly demo: EmulatorDemo;
  /** Fault injection. */
  readonly faults = new Faults();
  /** What the server actually did. */
  readonly ledger = new Ledger();
  /** Timing and framing settings; change them at any time (they apply to new tasks / requests). */
  readonly settings: EmulatorSettings;
  readonly #store = new Store();
  readonly #runs = new RunRegistry();
  readonly #scheduler = new Scheduler();
  /** What {@link Emulator.close} ends: one entry per held live poll or stream. */
  readonly #held = new Set<() => void>();
  readonly #ctx: EmulatorContext;

  constructor(options: EmulatorOptions = {}) {
    this.settings = { ...DEFAULT_SETTINGS };
    for (const [key, value] of Object.entries(options)) {
      if (value !== undefined) (this.settings as unknown as Record<string, unknown>)[key] = value;
    }
    this.demo = seedDemo(this.#store);
    this.#ctx = {
      store: this.#store,
      runs: this.#runs,
      faults: this.faults,
      ledger: this.ledger,
      scheduler: this.#scheduler,
      settings: this.settings,
      rateLimiter: new RateLimiter(),
      onShutdown: (listener) => {
        const entry = () => listener();
        this.#held.add(entry);
        return () => {
          this.#held.delete(entry);
        };
      },
    };
  }

  /**
   * Answer one request: the core of both adapters. A dropped connection is `Response.error()`.
   *
   * @example
   * ```ts
   * const res = await emu.handle(new Request("http://emu/api/campaigns/ai-chat-sessions?campaign_id=" + emu.demo.campaignId, {
   *   headers: { authorization: `Bearer ${emu.demo.apiKey}` },
   * }));
   * ```
   */
  handle(request: Request): Promise<Response> {
    return route(this.#ctx, request);
  }

  /**
   * Serve the emulator over real HTTP (`node:http`).
   *
   * @param options port (default 0: a free port) and host (default `"127.0.0.1"`).
   * @throws the listen error (for example EADDRINUSE).
   * @example
   * ```ts
   * const { url, apiKey, close } = await createEmulator().listen();
   * ```
   */
  async listen(options: ListenOptions = {}): Promise<ListeningEmulator> {
    const server = await serveNode(
      (request) => this.handle(request),
      options,
      () => this.#endHeld(),
    );
    return {
      url: server.url,
      port: server.port,
      apiKey: this.demo.apiKey,
      emulator: this,
      close: () => server.close(),
    };
  }

  /**
   * msw request handlers with the same behaviour as {@link Emulator.listen}; a dropped connection
   * becomes `HttpResponse.error()`.
   *
   * @param options base URLs to answer (default `https://app.puffle.ai` and `https://api.trigger.dev`).
   * @throws Error naming the `msw` package when it is not installed.
   * @example
   * ```ts
   * import { setupServer } from "msw/node";
   * const server = setupServer(...(await emu.mswHandlers({ baseURL: "https://app.puffle.ai" })));
   * server.listen();
   * ```
   */
  mswHandlers(options: MswHandlerOptions = {}): Promise<MswHandler[]> {
    return buildMswHandlers((request) => this.handle(request), options);
  }

  /**
   * A copy of a session row (whoever owns it), or undefined.
   *
   * @example
   * ```ts
   * expect(emu.getSession(id)?.task_status).toBeNull();
   * ```
   */
  getSession(id: string): SessionRow | undefined {
    const row = this.#store.sessions.get(id);
    return row ? structuredClone(row) : undefined;
  }

  /**
   * A copy of a campaign row (whoever owns it), or undefined.
   *
   * @example
   * ```ts
   * expect(emu.getCampaign(emu.demo.emailCampaign.campaignId)?.status).toBe("draft");
   * ```
   */
  getCampaign(id: string): CampaignRow | undefined {
    const row = this.#store.campaigns.get(id);
    return row ? structuredClone(row) : undefined;
  }

  /**
   * Copies of a campaign's sequence nodes, in position order.
   *
   * @example
   * ```ts
   * const [first] = emu.getNodes(emu.demo.emailCampaign.campaignId);
   * ```
   */
  getNodes(campaignId: string): NodeRow[] {
    return this.#store.campaignNodes(campaignId).map((n) => structuredClone(n));
  }

  /**
   * Copies of a campaign's generated messages (every status), in insertion order.
   *
   * @example
   * ```ts
   * expect(emu.getGeneratedMessages(campaignId)).toHaveLength(3);
   * ```
   */
  getGeneratedMessages(campaignId: string): GeneratedMessageRow[] {
    return this.#store.campaignMessages(campaignId).map((m) => structuredClone(m));
  }

  /**
   * Change a stored generated message (for example its `status`, to test the draft-only edit).
   *
   * @throws {Error} when there is no such message.
   * @example
   * ```ts
   * emu.setGeneratedMessage(messageId, { status: "sent" });
   * ```
   */
  setGeneratedMessage(id: string, patch: Partial<Omit<GeneratedMessageRow, "id">>): void {
    const row = this.#store.messages.get(id);
    if (!row) throw new PuffleError(`No generated message ${id} in the emulator`);
    Object.assign(row, structuredClone(patch));
  }

  /**
   * Set a campaign's status (`draft`, `launching`, `active`, `paused`, `completed`).
   *
   * @throws {Error} when there is no such campaign.
   * @example
   * ```ts
   * emu.setCampaignStatus(campaignId, "active");
   * ```
   */
  setCampaignStatus(campaignId: string, status: string): void {
    const row = this.#store.campaigns.get(campaignId);
    if (!row) throw new PuffleError(`No campaign ${campaignId} in the emulator`);
    row.status = status;
  }

  /**
   * Set a user's credit balance (default: the demo user's), which `generate_ai` checks and charges.
   *
   * @throws {Error} when there is no such user.
   * @example
   * ```ts
   * emu.setCredits(0); // the next generate_ai answers 402
   * ```
   */
  setCredits(credits: number, userId: string = this.demo.userId): void {
    const row = this.#store.users.get(userId);
    if (!row) throw new PuffleError(`No user ${userId} in the emulator`);
    row.credits = credits;
  }

  /**
   * A user's credit balance (default: the demo user's).
   *
   * @example
   * ```ts
   * expect(emu.credits()).toBe(100);
   * ```
   */
  credits(userId: string = this.demo.userId): number {
    return this.#store.users.get(userId)?.credits ?? 0;
  }

  /**
   * A run as the emulator sees it (status, output, chunks), or undefined.
   *
   * @example
   * ```ts
   * expect(emu.getRun(runId)?.mappedStatus).toBe("COMPLETED");
   * ```
   */
  getRun(runId: string): EmulatorRunInfo | undefined {
    const run = this.#runs.runs.get(runId);
    return run ? runInfo(run) : undefined;
  }

  /**
   * Expire every public token of a run now (feed and stream then answer 401).
   *
   * @example
   * ```ts
   * emu.expireTokens(handle.runId);
   * ```
   */
  expireTokens(runId: string): void {
    this.#runs.expireTokens(runId);
  }

  /**
   * Add a user with a deterministic API key derived from `label` (default: random).
   *
   * @example
   * ```ts
   * const { userId, apiKey } = emu.addUser("alice");
   * ```
   */
  addUser(label: string = randomUuid()): { userId: string; apiKey: string } {
    return insertUser(this.#store, label);
  }

  /**
   * Add a campaign (default: the demo user's, `status: "draft"`) with one `ai` node.
   *
   * @example
   * ```ts
   * const { campaignId, nodeId } = emu.addCampaign({ status: "active" });
   * ```
   */
  addCampaign(options: { userId?: string; status?: string; name?: string; type?: string } = {}): {
    campaignId: string;
    nodeId: string;
  } {
    return insertCampaign(this.#store, this.demo.userId, options);
  }

  /**
   * Add a sequence node (default `type: "ai"`, placed last) to a campaign, with optional content
   * (`subject`, `body`, delays, `ai_node`, ...).
   *
   * @throws {Error} when the campaign does not exist.
   * @example
   * ```ts
   * const nodeId = emu.addNode(emu.demo.campaignId, { type: "delay" });
   * ```
   */
  addNode(
    campaignId: string,
    options: { type?: string; position?: number } & Partial<
      Omit<NodeRow, "id" | "campaign_id" | "type" | "position">
    > = {},
  ): string {
    return insertNode(this.#store, campaignId, options);
  }

  /**
   * Add a campaign with the given sequence (default: the demo user's draft; an `end` node closes
   * it) and its leads; returns the ids, for tests of whole-campaign drafting.
   *
   * @example
   * ```ts
   * const { campaignId, contentNodeIds } = emu.seedCampaign({ nodes: [{ type: "email" }, { type: "delay", delay_days: 2 }, { type: "ai" }] });
   * ```
   */
  seedCampaign(options: SeedCampaignOptions): SeededCampaign {
    return seedCampaign(this.#store, this.demo.userId, options);
  }

  /**
   * Add a lead to a campaign (generate-content samples up to 5 of them).
   *
   * @example
   * ```ts
   * emu.addLead(campaignId, { first_name: "Ada", company: "Analytical" });
   * ```
   */
  addLead(campaignId: string, lead: Omit<LeadRow, "id" | "campaign_id">): LeadRow {
    return insertLead(this.#store, campaignId, lead);
  }

  /**
   * Fast-forward every running task to its end (runs complete, sessions are written).
   *
   * @example
   * ```ts
   * await emu.finishTasks();
   * ```
   */
  finishTasks(): Promise<void> {
    return this.#scheduler.finishAll();
  }

  /**
   * Wait until every running task ended at its own pace.
   *
   * @example
   * ```ts
   * await emu.settle();
   * ```
   */
  settle(): Promise<void> {
    return this.#scheduler.settle();
  }

  /**
   * Number of tasks still running.
   *
   * @example
   * ```ts
   * expect(emu.runningTasks).toBe(0);
   * ```
   */
  get runningTasks(): number {
    return this.#scheduler.running;
  }

  /**
   * End held long-polls and streams, cancel running tasks and clear every timer. The emulator
   * stays usable (new requests and tasks work). Servers from {@link Emulator.listen} do this on close.
   *
   * @example
   * ```ts
   * afterAll(() => emu.close());
   * ```
   */
  async close(): Promise<void> {
    this.#endHeld();
  }

  #endHeld(): void {
    const held = [...this.#held];
    this.#held.clear();
    for (const end of held) end();
    this.#scheduler.dispose();
  }
}

/**
 * Create an emulator seeded with demo data (see {@link EmulatorDemo}).
 *
 * @param options timing and framing: `taskDurationMs` (2000), `tokenTtlMs` (1 h), `liveHoldMs`
 *   (20 000), `pingIntervalMs` (15 000), `streamVersion` (`"v1"`); the campaign routes' choices
 *   where the docs are silent (inferred): `aiMessageCredits` (2 per prospect), `draftRuleStatus`
 *   (400), `resolveProspects` (`"all"`), `matchExamplesByLeadId` (`true`).
 * @example
 * ```ts
 * import { createEmulator } from "puffle-chat/testing";
 * const emu = createEmulator({ taskDurationMs: 30, liveHoldMs: 200 });
 * const server = await emu.listen();
 * // … PUFFLE_BASE_URL = server.url, PUFFLE_API_KEY = server.apiKey
 * await server.close();
 * ```
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  return new Emulator(options);
}
