/**
 * A hostile HTTP server on loopback for the "cap what is read, while reading" tests: it answers
 * with a body of a given size streamed in 1 MiB pieces (honouring backpressure), and counts the
 * bytes it managed to write before the client hung up. A reader that checks its limit while
 * reading hangs up near the limit; one that buffers first makes the server write everything.
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What one request gets: status, headers, and the body as head + `size` filler bytes + tail. */
export interface HostileAnswer {
  status?: number;
  headers?: Record<string, string>;
  head?: string;
  /** Filler bytes between head and tail (the letter `a`). */
  size?: number;
  tail?: string;
}

export interface HostileServer {
  url: string;
  /** Bytes written per request path (in arrival order), counted as the socket accepted them. */
  written: Array<{ method: string; path: string; bytes: number; closedEarly: boolean }>;
  close(): Promise<void>;
}

const PIECE = Buffer.alloc(1024 * 1024, "a");

/** Start a server answering every request with `answer(req)`, on 127.0.0.1 and a free port. */
export async function startHostileServer(
  answer: (req: IncomingMessage) => HostileAnswer,
): Promise<HostileServer> {
  const written: HostileServer["written"] = [];
  const server = createServer((req, res) => {
    req.resume();
    const plan = answer(req);
    const entry = { method: req.method ?? "", path: req.url ?? "", bytes: 0, closedEarly: false };
    written.push(entry);
    void stream(res, plan, entry);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    written,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function stream(
  res: ServerResponse,
  plan: HostileAnswer,
  entry: { bytes: number; closedEarly: boolean },
): Promise<void> {
  res.writeHead(plan.status ?? 200, {
    "content-type": "application/json",
    ...plan.headers,
  });
  let closed = false;
  res.on("close", () => {
    closed = true;
  });
  const write = (chunk: Buffer) =>
    new Promise<void>((resolve) => {
      if (closed) return resolve();
      const ok = res.write(chunk, () => {
        entry.bytes += chunk.byteLength;
      });
      if (ok) resolve();
      else {
        const done = () => {
          res.off("drain", done);
          res.off("close", done);
          resolve();
        };
        res.once("drain", done);
        res.once("close", done);
      }
    });
  if (plan.head) await write(Buffer.from(plan.head));
  let left = plan.size ?? 0;
  while (left > 0 && !closed) {
    const piece = left >= PIECE.byteLength ? PIECE : PIECE.subarray(0, left);
    await write(piece);
    left -= piece.byteLength;
  }
  if (closed) {
    entry.closedEarly = true;
    return;
  }
  if (plan.tail) await write(Buffer.from(plan.tail));
  res.end();
}

/**
 * Peak growth of the process's memory (heap + array buffers + external) while `fn` runs, in MB,
 * sampled every 5 ms. Indicative (the GC runs when it likes), reported by the tests, not asserted
 * tightly.
 */
export async function peakGrowthMB<T>(fn: () => Promise<T>): Promise<{ value: T; peakMB: number }> {
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.external; // external includes arrayBuffers
  };
  const base = used();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, used());
  }, 5);
  try {
    const value = await fn();
    peak = Math.max(peak, used());
    return { value, peakMB: Math.round((peak - base) / 1e6) };
  } finally {
    clearInterval(timer);
  }
}
