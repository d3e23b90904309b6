/**
 * Reading a fetch body piece by piece, abortably and within a size limit: the one body reader of
 * the realtime entry, reused by the main entry's transport (`internal/read-capped.ts`).
 *
 * @internal
 * @module
 */

/**
 * The most the realtime entry holds in memory for one run feed answer or one stream event, in
 * bytes. A run row is a few kilobytes (Trigger.dev keeps large payloads and outputs out of the
 * row), so 8 MB is far above any real answer and far below what would hurt a browser tab; past
 * it the feed or stream fails with a `protocol` error instead of reading on.
 * @internal
 */
export const MAX_REALTIME_BYTES = 8_000_000;

/**
 * Read `body` until it ends, handing each decoded piece and its size in bytes to `onText`.
 * Aborting `signal` cancels the reader, which settles a pending `read()`: undici 6 (Node 22)
 * leaves it pending forever when the fetch is aborted right after the last chunk, so aborting the
 * request alone is not enough. An aborted read rejects with the signal's reason; a throw from
 * `onText` rejects the read with it. The stream is always cancelled (never merely released) when
 * it was not read to its end, so the connection is freed.
 * @internal
 */
export async function readBody(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  onText: (text: string, bytes: number) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let finished = false;
  const cancel = () => {
    reader.cancel(signal.reason).catch(() => {});
  };
  signal.addEventListener("abort", cancel, { once: true });
  try {
    if (signal.aborted) throw signal.reason;
    for (;;) {
      const { done, value } = await reader.read();
      if (signal.aborted) throw signal.reason;
      if (done) {
        finished = true;
        const rest = decoder.decode();
        if (rest !== "") onText(rest, 0);
        return;
      }
      onText(decoder.decode(value, { stream: true }), value.byteLength);
    }
  } finally {
    signal.removeEventListener("abort", cancel);
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/**
 * A response's body as text, or `undefined` as soon as more than `maxBytes` arrived (the rest is
 * never read: the body is cancelled at once, so a huge answer costs at most `maxBytes` of memory).
 * @internal
 */
export async function readTextCapped(
  response: Response,
  maxBytes: number,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (!response.body) return "";
  const parts: string[] = [];
  let size = 0;
  const over = new Error("over the limit");
  try {
    await readBody(response.body, signal, (text, bytes) => {
      size += bytes;
      if (size > maxBytes) throw over;
      parts.push(text);
    });
  } catch (error) {
    if (error === over) return undefined;
    throw error;
  }
  return parts.join("");
}
