/**
 * A real HTTP proxy on loopback in front of the emulator, for the dispatch-rule tests: it forwards
 * every request (even when the client has left), and its hooks can hold a request before
 * forwarding it or replace the answer after the server acted.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** An answer the proxy gives instead of the server's. */
export interface ProxyAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface ProxyHooks {
  /** Before forwarding (for example: hold the request). */
  before?: (request: IncomingMessage) => Promise<void> | void;
  /** After the server answered: the answer to give instead, or undefined for the server's. */
  replace?: (request: IncomingMessage) => ProxyAnswer | undefined;
}

/** Start the proxy on a free port; `close()` stops it and its connections. */
export async function forwardingProxy(target: string, hooks: ProxyHooks = {}) {
  const proxy: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      await hooks.before?.(req);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === "string" && !["host", "connection", "content-length"].includes(k))
          headers.set(k, v);
      }
      try {
        const answer = await fetch(`${target}${req.url}`, {
          method: req.method ?? "GET",
          headers,
          ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
        });
        const body = Buffer.from(await answer.arrayBuffer());
        if (res.destroyed) return;
        const instead = hooks.replace?.(req);
        if (instead) {
          res.writeHead(instead.status, { "content-type": instead.contentType });
          res.end(instead.body);
          return;
        }
        res.writeHead(answer.status, Object.fromEntries(answer.headers));
        res.end(body);
      } catch {
        res.destroy();
      }
    });
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        proxy.closeAllConnections();
        proxy.close(() => r());
      }),
  };
}
