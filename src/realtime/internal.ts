/**
 * Small internals shared by the transports: an abortable push-to-pull channel, abortable sleeps,
 * backoff, and a fetch wrapper with bounded retries.
 *
 * @internal
 * @module
 */

import { RealtimeUnreachableError, redact } from "./errors";

/** An async iterator fed by pushes. @internal */
export interface Channel<T> {
  push(value: T): void;
  /** End after the queued values are consumed. */
  end(): void;
  /** Fail after the queued values are consumed. */
  fail(error: unknown): void;
  /** True once ended, failed, aborted or returned. */
  readonly closed: boolean;
  readonly iterator: AsyncIterableIterator<T>;
}

/**
 * Create a channel. `onClose` runs exactly once, as soon as the channel ends, fails, is aborted by
 * `signal` or is returned by the consumer; it must release every resource.
 * @internal
 */
export function createChannel<T>(signal: AbortSignal | undefined, onClose: () => void): Channel<T> {
  const queue: T[] = [];
  let state: "open" | "ended" | "failed" | "aborted" = "open";
  let error: unknown;
  let waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  let closed = false;

  const close = () => {
    if (closed) return;
    closed = true;
    signal?.removeEventListener("abort", onAbort);
    onClose();
  };
  const settle = () => {
    if (!waiter) return;
    const w = waiter;
    if (state === "aborted") {
      waiter = undefined;
      state = "ended";
      w.reject(error);
    } else if (queue.length > 0) {
      waiter = undefined;
      w.resolve({ value: queue.shift() as T, done: false });
    } else if (state === "ended") {
      waiter = undefined;
      w.resolve({ value: undefined, done: true });
    } else if (state === "failed") {
      waiter = undefined;
      state = "ended";
      w.reject(error);
    }
  };
  function onAbort() {
    if (state === "open" || queue.length > 0 || state === "failed") {
      state = "aborted";
      error = signal?.reason;
      queue.length = 0;
    }
    close();
    settle();
  }
  if (signal?.aborted) {
    state = "aborted";
    error = signal.reason;
    queueMicrotask(close);
  } else {
    signal?.addEventListener("abort", onAbort, { once: true });
  }

  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (state === "aborted") {
        const reason = error;
        state = "ended";
        return Promise.reject(reason);
      }
      return new Promise<IteratorResult<T>>((resolve, reject) => {
        waiter = { resolve, reject };
        settle();
      });
    },
    return() {
      queue.length = 0;
      if (state !== "aborted") state = "ended";
      close();
      settle();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };

  return {
    push(value) {
      if (state !== "open") return;
      queue.push(value);
      settle();
    },
    end() {
      if (state !== "open") return;
      state = "ended";
      close();
      settle();
    },
    fail(e) {
      if (state !== "open") return;
      state = "failed";
      error = e;
      close();
      settle();
    },
    get closed() {
      return closed;
    },
    iterator,
  };
}

/** Resolve after `ms`, or reject with the signal's reason as soon as it aborts. @internal */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Exponential backoff with equal jitter (half the step fixed, half random, so a retry never comes
 * at once): attempt 1 → 125 to 250 ms, doubling, capped at 5 s; `Retry-After` wins, up to 30 s.
 * @internal
 */
export function backoffDelay(attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, 30_000);
  const cap = Math.min(5_000, 250 * 2 ** (attempt - 1));
  return Math.round(cap / 2 + (Math.random() * cap) / 2);
}

/** Parse `Retry-After` (seconds or HTTP date) into milliseconds. @internal */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The fetch to use: the caller's, or `globalThis.fetch` looked up per request. @internal */
export function resolveFetch(custom: typeof fetch | undefined): typeof fetch {
  return custom ?? ((input, init) => globalThis.fetch(input, init));
}

/**
 * A timer that calls `onStall` after `ms` without `touch()`. `ms <= 0` disables it. While a
 * browser tab is hidden the Electric client pauses its long polls on purpose, so the timer then
 * re-arms instead of firing.
 * @internal
 */
export function createStallTimer(ms: number, onStall: () => void) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const fire = () => {
    const doc = (globalThis as { document?: { hidden?: boolean } }).document;
    if (doc?.hidden === true) {
      timer = setTimeout(fire, ms);
      return;
    }
    timer = undefined;
    onStall();
  };
  return {
    touch() {
      if (ms <= 0) return;
      stop();
      timer = setTimeout(fire, ms);
    },
    stop,
  };
}

/** What {@link createGuardedFetch} needs. @internal */
export interface GuardedFetchOptions {
  fetch: typeof fetch;
  runId: string;
  token: string;
  what: string;
  maxRetries: number;
  /** Called with the final error when retries are exhausted, before it is thrown. */
  onExhausted: (error: RealtimeUnreachableError) => void;
  /** Called whenever an answer arrives. */
  onAnswer?: () => void;
}

/**
 * Wrap `fetch` so that network errors, 408, 429 and 5xx are retried with abortable backoff
 * (honouring `Retry-After`), at most `maxRetries` times in a row. Any other answer is returned as
 * is. When retries run out, `onExhausted` gets a typed `unreachable` error (the caller aborts the
 * request's signal there) and the wrapper throws it.
 * @internal
 */
export function createGuardedFetch(options: GuardedFetchOptions): typeof fetch {
  return async (input, init) => {
    const signal = init?.signal ?? undefined;
    let attempt = 0;
    for (;;) {
      let last: string;
      let wait: number | undefined;
      try {
        const response = await options.fetch(input, init);
        if (signal?.aborted) {
          // Some runtimes (Bun) resolve a fetch aborted in flight; a body nobody will read must
          // be cancelled, or its connection keeps the process alive.
          await response.body?.cancel().catch(() => {});
          throw signal.reason;
        }
        options.onAnswer?.();
        const retryable =
          response.status === 408 || response.status === 429 || response.status >= 500;
        if (!retryable) return response;
        last = `HTTP ${response.status}`;
        wait = retryAfterMs(response.headers.get("retry-after"));
        await response.body?.cancel().catch(() => {});
      } catch (error) {
        if (signal?.aborted) throw error;
        last = redact(error instanceof Error ? error.message : String(error), options.token);
      }
      attempt += 1;
      if (attempt > options.maxRetries) {
        const exhausted = new RealtimeUnreachableError({
          runId: options.runId,
          what: options.what,
          attempts: attempt,
          last,
        });
        options.onExhausted(exhausted);
        throw exhausted;
      }
      await sleep(backoffDelay(attempt, wait), signal);
    }
  };
}
