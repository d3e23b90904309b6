/**
 * The request limiter of one `draftCampaign` call: a `fetch` wrapper that every Puffle request of
 * the call goes through (retries included), holding each one until a sliding 60 s window has room
 * for it, and holding them all after a 429 until its `Retry-After` has passed. It counts what it
 * lets through, for the call's report. Realtime requests go to Trigger.dev, not Puffle, and do
 * not pass through it.
 *
 * @internal
 * @module
 */
import { sleep } from "../realtime/internal";

const WINDOW_MS = 60_000;

/** A limiter's wrapper and figures. */
export interface RequestLimiter {
  /** `fetch` through the limiter. */
  wrap(fetch: typeof globalThis.fetch): typeof globalThis.fetch;
  /** Requests let through so far. */
  readonly requests: number;
  /** The most requests let through within any 60 s window so far. */
  readonly peakPerMinute: number;
}

/** `Retry-After` (seconds or an HTTP date) in ms, or undefined. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1_000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** A limiter of `perMinute` requests (no limit when undefined: it only counts). */
export function createLimiter(perMinute: number | undefined): RequestLimiter {
  const sent: number[] = [];
  let blockedUntil = 0;
  let requests = 0;
  let peak = 0;
  // Requests wait in order: each takes its turn after the one before got its slot.
  let queue: Promise<void> = Promise.resolve();

  const slot = async (signal: AbortSignal | undefined) => {
    for (;;) {
      const now = Date.now();
      while (sent.length > 0 && (sent[0] as number) <= now - WINDOW_MS) sent.shift();
      const full = perMinute !== undefined && sent.length >= perMinute;
      const wait = Math.max(blockedUntil - now, full ? (sent[0] as number) + WINDOW_MS - now : 0);
      if (wait <= 0) break;
      await sleep(wait, signal);
    }
    sent.push(Date.now());
    requests += 1;
    peak = Math.max(peak, sent.length);
  };

  return {
    wrap: (fetch) => async (input, init) => {
      const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
      const turn = queue.then(() => slot(signal ?? undefined));
      queue = turn.catch(() => undefined);
      await turn;
      const response = await fetch(input, init);
      if (response.status === 429) {
        const ms = retryAfterMs(response.headers.get("retry-after"));
        if (ms !== undefined)
          blockedUntil = Math.max(blockedUntil, Date.now() + Math.min(ms, WINDOW_MS));
      }
      return response;
    },
    get requests() {
      return requests;
    },
    get peakPerMinute() {
      return peak;
    },
  };
}
