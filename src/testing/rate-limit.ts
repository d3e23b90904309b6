/**
 * The emulator's optional per-key rate limit (`settings.requestsPerMinute`): Puffle limits each
 * API key, and a fleet of workers must stay under that limit together. A sliding window of 60 s
 * over the requests each key had accepted; a request over the limit is answered 429 with a
 * `Retry-After` (whole seconds until the oldest request leaves the window), before anything is
 * done, and is not counted against the window. Trigger.dev's routes (the run feed and the chat
 * stream) are another service and are not limited.
 *
 * @module
 */

const WINDOW_MS = 60_000;

/** The accepted requests of each key in the last 60 s, oldest first. */
export class RateLimiter {
  readonly #accepted = new Map<string, number[]>();

  /**
   * Admit a request of `key` at `now` under `perMinute`, or say how many seconds to wait.
   * `perMinute` null or 0: no limit; the request is still counted, so that a limit set at run
   * time sees the last minute's traffic.
   */
  admit(
    key: string,
    perMinute: number | null,
    now = Date.now(),
  ): { retryAfterSeconds: number } | undefined {
    const times = this.#accepted.get(key) ?? [];
    while (times.length > 0 && (times[0] as number) <= now - WINDOW_MS) times.shift();
    if (perMinute && perMinute > 0 && times.length >= perMinute) {
      const waitMs = (times[0] as number) + WINDOW_MS - now;
      return { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1_000)) };
    }
    times.push(now);
    this.#accepted.set(key, times);
    return undefined;
  }

  /** Forget every key's window (`emulator.reset()`). */
  clear(): void {
    this.#accepted.clear();
  }
}
