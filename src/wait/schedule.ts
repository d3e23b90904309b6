/**
 * The poll schedule: how long to sleep between session reads while a task runs.
 *
 * @module
 */

/**
 * How `waitForIdle` polls. The first read is immediate; then the delay starts at
 * `initialDelayMs`, grows by `multiplier` up to `maxDelayMs`, and each delay is spread by
 * ±`jitter` so that many waiters do not read in lock-step.
 *
 * @example
 * ```ts
 * await puffle.waitForIdle(id, { poll: { initialDelayMs: 500, maxDelayMs: 3_000 } });
 * ```
 */
export interface PollOptions {
  /** First delay after the immediate read, in ms. Default `2_500`. */
  initialDelayMs?: number | undefined;
  /** Growth factor of the delay. Default `1.5`. */
  multiplier?: number | undefined;
  /** Longest delay, in ms. Default `4_000` (Puffle suggests polling every 2 to 5 s). */
  maxDelayMs?: number | undefined;
  /** Spread of each delay, as a fraction (0 to 1). Default `0.2`. */
  jitter?: number | undefined;
}

/**
 * The default poll schedule, inside Puffle's guidance of one read every 2 to 5 s: after the
 * immediate first read, 2.5 s, then ×1.5 up to 4 s, each delay spread by ±20 % (so every delay
 * falls between 2 and 4.8 s).
 *
 * @example
 * ```ts
 * import { DEFAULT_POLL, PuffleClient } from "puffle-chat";
 * const puffle = new PuffleClient();
 * await puffle.waitForIdle("3c90c3cc-0d44-4b50-8888-8dd25736052a", { poll: { ...DEFAULT_POLL, maxDelayMs: 5_000 } });
 * ```
 */
export const DEFAULT_POLL: Required<{ [K in keyof PollOptions]: number }> = {
  initialDelayMs: 2_500,
  multiplier: 1.5,
  maxDelayMs: 4_000,
  jitter: 0.2,
};

/**
 * A faster schedule (0.5 s, ×1.5 up to 2 s, ±25 %), **against Puffle's guidance** of polling every
 * 2 to 5 s: for the emulator, tests and demos, not for production traffic. Opt in explicitly.
 *
 * @example
 * ```ts
 * import { FAST_POLL, PuffleClient } from "puffle-chat";
 * const puffle = new PuffleClient();
 * await puffle.waitForIdle("3c90c3cc-0d44-4b50-8888-8dd25736052a", { poll: FAST_POLL });
 * ```
 */
export const FAST_POLL: Required<{ [K in keyof PollOptions]: number }> = {
  initialDelayMs: 500,
  multiplier: 1.5,
  maxDelayMs: 2_000,
  jitter: 0.25,
};

/** The fast schedule used when a run has completed but the session still looks busy. */
export const SETTLE_POLL: Required<{ [K in keyof PollOptions]: number }> = {
  initialDelayMs: 50,
  multiplier: 2,
  maxDelayMs: 1_000,
  jitter: 0.1,
};

/** An endless sequence of delays (ms) for a schedule. */
export function* pollDelays(
  options: PollOptions = {},
  random: () => number = Math.random,
): Generator<number> {
  const initial = options.initialDelayMs ?? DEFAULT_POLL.initialDelayMs;
  const multiplier = options.multiplier ?? DEFAULT_POLL.multiplier;
  const max = options.maxDelayMs ?? DEFAULT_POLL.maxDelayMs;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? DEFAULT_POLL.jitter));
  let base = Math.min(initial, max);
  for (;;) {
    yield Math.max(0, Math.round(base * (1 + jitter * (2 * random() - 1))));
    base = Math.min(base * multiplier, max);
  }
}
