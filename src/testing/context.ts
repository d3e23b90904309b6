import type { Faults } from "./faults";
import type { Ledger } from "./ledger";
import type { RateLimiter } from "./rate-limit";
import type { RunRegistry } from "./runs";
import type { Scheduler } from "./scheduler";
import type { Store } from "./store";
import type { StreamVersion } from "./types";

/**
 * The shared state every route handler and task of one emulator works on.
 *
 * @module
 */

/**
 * Timing and framing settings of an emulator; every one can be changed at run time.
 *
 * @example
 * ```ts
 * emu.settings.taskDurationMs = 50; // applies to the next task
 * ```
 */
export interface EmulatorSettings {
  /** How long a turn or example run takes, in ms. Default 2000. */
  taskDurationMs: number;
  /** Lifetime of a minted public access token, in ms. Default 3 600 000 (1 h). */
  tokenTtlMs: number;
  /** How long a live long-poll of the run feed is held without change, in ms. Default 20 000. */
  liveHoldMs: number;
  /** Interval of `: ping` keep-alives on stream responses, in ms. Default 15 000. */
  pingIntervalMs: number;
  /** Framing of new runs' streams. Default `"v1"`. */
  streamVersion: StreamVersion;
  /** Credits `generate_ai` charges per prospect (`AI_MESSAGE_GENERATION`). Default 2 (documented sample). */
  aiMessageCredits: number;
  /**
   * Inferred: status code of the draft-only rule on generate-messages and of an edit of a pending
   * or sent message (the docs name the rule, not the code). Default 400.
   */
  draftRuleStatus: number;
  /**
   * Inferred: which prospects `resolve` renders for: `"all"` (default; the docs say "every
   * prospect") or `"pending"`.
   */
  resolveProspects: "all" | "pending";
  /**
   * Inferred: when a generated example carries no lead name (`lead_name`, `full_name`, `name`, or
   * `first_name` + `last_name`), match its `lead_id` against prospect ids. Default `true`.
   */
  matchExamplesByLeadId: boolean;
  /**
   * Puffle API requests each key may make in any 60 s window; over it, 429 with `Retry-After`
   * before acting (see rate-limit.ts). `null` (default): no limit.
   */
  requestsPerMinute: number | null;
}

/**
 * Defaults of {@link EmulatorSettings}.
 *
 * @example
 * ```ts
 * const emu = createEmulator({ ...DEFAULT_SETTINGS, taskDurationMs: 30 });
 * ```
 */
export const DEFAULT_SETTINGS: Readonly<EmulatorSettings> = {
  taskDurationMs: 2000,
  tokenTtlMs: 3_600_000,
  liveHoldMs: 20_000,
  pingIntervalMs: 15_000,
  streamVersion: "v1",
  aiMessageCredits: 2,
  draftRuleStatus: 400,
  resolveProspects: "all",
  matchExamplesByLeadId: true,
  requestsPerMinute: null,
};

/** Everything a handler needs. */
export interface EmulatorContext {
  store: Store;
  runs: RunRegistry;
  faults: Faults;
  ledger: Ledger;
  scheduler: Scheduler;
  settings: EmulatorSettings;
  /** The per-key windows of `settings.requestsPerMinute`. */
  rateLimiter: RateLimiter;
  /**
   * Call `listener` once when the emulator (or one of its servers) closes, so held answers end at
   * once. Returns the function that unregisters it (call it when the answer ends by itself). The
   * listeners live in a Set, not on a shared AbortSignal: any number of held polls and streams
   * adds no listener to a shared emitter (no MaxListenersExceededWarning under load).
   */
  onShutdown(listener: () => void): () => void;
}
