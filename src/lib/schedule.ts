/**
 * The poll schedule: how long to sleep between session reads while a task runs.
 *
 * @module
 */
import { DEFAULT_POLL, type PollOptions } from "../core/options";

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
