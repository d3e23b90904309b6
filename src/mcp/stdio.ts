/**
 * The MCP server over stdio (`puffle-chat mcp`): stdout is the protocol, so nothing else is
 * written there; the SDK's `serveStdio` answers both protocol eras on one connection.
 *
 * @internal
 * @module
 */
import type { Readable, Writable } from "node:stream";
import { StdioServerTransport, serveStdio } from "@modelcontextprotocol/server/stdio";
import type { PuffleMcpOptions } from "./options";
import { createMcpServerFactory } from "./server";

/** Serve over `stdin`/`stdout` until `stdin` ends; resolves then. */
export async function serveMcpStdio(
  options: PuffleMcpOptions,
  streams: { stdin: Readable; stdout: Writable },
): Promise<void> {
  const factory = createMcpServerFactory(options);
  const ended = new Promise<void>((resolve) => {
    streams.stdin.once("end", resolve);
    streams.stdin.once("close", resolve);
  });
  const handle = serveStdio(factory, {
    transport: new StdioServerTransport(streams.stdin, streams.stdout),
    onerror: (error) => options.onError?.(error, { tool: "(stdio)" }),
  });
  try {
    await ended;
  } finally {
    await handle.close().catch(() => {});
  }
}
