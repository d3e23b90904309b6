import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The `node:http` adapter: a real HTTP server in front of a `(Request) => Promise<Response>`
 * handler. Streams answers as they come, destroys the socket for `Response.error()`, and closes
 * without hanging (held answers are aborted, connections destroyed).
 *
 * @module
 */

/**
 * Where to listen.
 *
 * @example
 * ```ts
 * await emu.listen({ port: 0, host: "127.0.0.1" });
 * ```
 */
export interface ListenOptions {
  /** Port; default 0 (a free port). */
  port?: number;
  /** Interface; default `"127.0.0.1"`. */
  host?: string;
}

/** A running node server. */
export interface NodeServer {
  /** Base URL, e.g. `http://127.0.0.1:53117` (no trailing slash). */
  url: string;
  port: number;
  /** Stop: end held answers, destroy connections, close the listener. Never hangs. */
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<ArrayBuffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const all = Buffer.concat(chunks);
  return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

/** Serve `handle` on a new `node:http` server. */
export async function serveNode(
  handle: (request: Request) => Promise<Response>,
  options: ListenOptions,
  onClose: () => void,
): Promise<NodeServer> {
  const host = options.host ?? "127.0.0.1";
  const active = new Map<AbortController, Promise<void>>();
  const server = createServer(async (req, res) => {
    const controller = new AbortController();
    active.set(controller, new Promise<void>((resolve) => res.on("close", resolve)));
    res.on("close", () => {
      active.delete(controller);
      controller.abort();
    });
    try {
      const method = req.method ?? "GET";
      const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
      const request = new Request(`http://${req.headers.host ?? host}${req.url ?? "/"}`, {
        method,
        headers: toHeaders(req),
        ...(body && body.byteLength > 0 ? { body } : {}),
        signal: controller.signal,
      });
      const response = await handle(request);
      if (response.type === "error") {
        req.socket.destroy();
        return;
      }
      if (res.destroyed) return;
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.flushHeaders();
      if (!response.body) {
        res.end();
        return;
      }
      const reader = response.body.getReader();
      const stop = () => void reader.cancel().catch(() => {});
      controller.signal.addEventListener("abort", stop, { once: true });
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          res.write(value);
        }
      } finally {
        controller.signal.removeEventListener("abort", stop);
        res.end();
      }
    } catch {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "Emulator error" }));
      } else {
        res.destroy();
      }
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        const open = [...active.values()];
        for (const controller of active.keys()) controller.abort();
        onClose();
        // Let held answers finish cleanly, but never wait more than a moment.
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          Promise.all(open),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, 250);
            timer.unref?.();
          }),
        ]);
        clearTimeout(timer);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
