/**
 * toNodeHandler: run a Web-standard handler under `node:http` or Express.
 *
 * @module
 */

// Type-only: the server entry imports no Node module at run time, so it loads in Workers and Deno.
import type { IncomingMessage, ServerResponse } from "node:http";
import { PuffleError } from "../base/puffle-error";

/**
 * A `node:http` request listener that also works as Express middleware (`next` is called with an
 * error only if writing the answer itself fails).
 */
export type NodeHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/**
 * Adapt a `(request: Request) => Promise<Response>` handler (such as `createChatRoute`'s) to
 * `node:http` and Express. The request's URL, method, headers and body are passed through
 * unchanged (a body already parsed by `express.json()` is passed on as JSON); its `signal` aborts
 * when the client goes away, so a busy wait stops with it. The answer's status, headers and body
 * are written as they are, the body chunk by chunk as it is produced (a stream of server-sent
 * events reaches the browser as it goes; when the client goes away the body is cancelled).
 *
 * @example
 * ```ts
 * import express from "express";
 * import { PuffleClient } from "puffle-chat";
 * import { createChatRoute, toNodeHandler } from "puffle-chat/server";
 *
 * const app = express();
 * app.all("/api/chat", toNodeHandler(createChatRoute({ client: new PuffleClient(), authorize })));
 * ```
 */
export function toNodeHandler(handler: (request: Request) => Promise<Response>): NodeHandler {
  if (typeof handler !== "function")
    throw new PuffleError("toNodeHandler: pass a (request: Request) => Promise<Response> handler.");
  return (req, res, next) => {
    const abort = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    void (async () => {
      const response = await handler(toRequest(req, abort.signal));
      res.statusCode = response.status;
      response.headers.forEach((value, name) => {
        if (name !== "set-cookie") res.setHeader(name, value);
      });
      const cookies = response.headers.getSetCookie?.() ?? [];
      if (cookies.length > 0) res.setHeader("set-cookie", cookies);
      if (!response.body || req.method === "HEAD") {
        res.end();
        return;
      }
      await pipeBody(response.body, res);
    })().catch((error: unknown) => {
      if (next) next(error);
      else if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else res.destroy();
    });
  };
}

function toRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const host = req.headers.host ?? "localhost";
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const url = new URL(req.url ?? "/", `${encrypted ? "https" : "http"}://${host}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const method = req.method ?? "GET";
  const init: RequestInit & { duplex?: "half" } = { method, headers, signal };
  if (method !== "GET" && method !== "HEAD") {
    const parsed = (req as IncomingMessage & { body?: unknown }).body;
    if (parsed !== undefined && req.readableEnded) {
      // express.json() (or another body parser) already read the stream.
      const text = typeof parsed === "string" ? parsed : JSON.stringify(parsed);
      headers.delete("content-length");
      init.body = text;
    } else {
      init.body = streamOf(req);
      init.duplex = "half";
    }
  }
  return new Request(url, init);
}

/** The request body as a web stream, read only as fast as it is consumed. */
function streamOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  const chunks = req[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await chunks.next();
        if (done) controller.close();
        else
          controller.enqueue(typeof value === "string" ? new TextEncoder().encode(value) : value);
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return?.();
    },
  });
}

/** Write a web body to `res` as it comes, waiting for `drain`; cancel it when `res` closes early. */
async function pipeBody(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  const onClose = () => void reader.cancel().catch(() => {});
  res.once("close", onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value))
        await new Promise<void>((resolve) => {
          const go = () => {
            res.off("drain", go);
            res.off("close", go);
            resolve();
          };
          res.on("drain", go);
          res.on("close", go);
        });
    }
  } finally {
    res.off("close", onClose);
    res.end();
  }
}
