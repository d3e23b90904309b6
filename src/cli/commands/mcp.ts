/**
 * `puffle-chat mcp`: the MCP server over stdio, for Claude Desktop, Cursor and any MCP client.
 * stdout carries the protocol only; the one startup line and any error go to stderr.
 *
 * @module
 */

import type { Readable, Writable } from "node:stream";
import type { Command } from "commander";
import type { Logger } from "../../core/options";
import { PuffleClient } from "../../index";
import { PUFFLE_MCP_TOOLS, type PuffleMcpToolName } from "../../mcp/options";
import { parseDuration } from "../args";
import { CliError, oneLine } from "../errors";
import type { CliIo } from "../io";
import { onSignals } from "../signals";

/**
 * Flags of `puffle-chat mcp`.
 *
 * @example
 * ```ts
 * await runMcp({ readOnly: true, campaign: campaignId } satisfies McpCommandOptions, processIo());
 * ```
 */
export interface McpCommandOptions {
  /** Leave the write tools out of the list. */
  readOnly?: boolean | undefined;
  /** Pin one campaign. */
  campaign?: string | undefined;
  /** Comma-separated tool names to serve (default: all). */
  tools?: string | undefined;
  /** The longest wait of a tool before it answers `running`, in ms. */
  maxWait?: number | undefined;
}

/**
 * Serve the MCP tools over this process's stdin and stdout until stdin closes (the client went
 * away) or SIGINT / SIGTERM. The key and hosts come from `PUFFLE_API_KEY`, `PUFFLE_BASE_URL` and
 * `PUFFLE_TRIGGER_BASE_URL`, as the client reads them.
 *
 * @returns 0 after the client disconnects; 1 (one line on stderr) on a setting that is missing or
 * wrong, or when `@modelcontextprotocol/server` is not installed.
 * @example
 * ```ts
 * process.exitCode = await runMcp({ readOnly: true }, processIo());
 * ```
 */
export async function runMcp(options: McpCommandOptions, io: CliIo): Promise<number> {
  try {
    const tools = parseTools(options.tools);
    const { env } = io;
    const client = new PuffleClient({
      apiKey: env.PUFFLE_API_KEY?.trim() || undefined,
      baseURL: env.PUFFLE_BASE_URL || env.PUFFLE_API_BASE_URL || undefined,
      triggerBaseURL: env.PUFFLE_TRIGGER_BASE_URL || undefined,
      // stdout is the protocol: every log level goes to stderr (console.info would not).
      logger: stderrLogger(io),
    });
    const { serveMcpStdio } = await loadStdio();
    const stdin = io.stdin as unknown as Readable;
    const stop = new AbortController();
    const off = onSignals(() => stop.abort());
    stop.signal.addEventListener("abort", () => stdin.destroy(), { once: true });
    const scope = [
      options.readOnly ? "read-only" : undefined,
      options.campaign ? `campaign ${options.campaign}` : undefined,
    ].filter(Boolean);
    io.stderr.write(
      `puffle-chat mcp: serving ${client.baseURL} over stdio${scope.length ? ` (${scope.join(", ")})` : ""}\n`,
    );
    try {
      await serveMcpStdio(
        {
          client,
          readOnly: options.readOnly === true,
          campaignId: options.campaign,
          tools,
          maxWaitMs: options.maxWait,
          onError: (error, { tool }) =>
            io.stderr.write(`puffle-chat mcp: ${tool}: ${oneLine(error)}\n`),
        },
        { stdin, stdout: io.stdout as unknown as Writable },
      );
    } finally {
      off();
    }
    return 0;
  } catch (error) {
    io.stderr.write(`Error: ${oneLine(error)}\n`);
    return 1;
  }
}

/** A logger writing each (already redacted) line to stderr. */
function stderrLogger(io: CliIo): Logger {
  const write = (message: string, fields?: Record<string, unknown>) => {
    io.stderr.write(`${message}${fields === undefined ? "" : ` ${JSON.stringify(fields)}`}\n`);
  };
  return { error: write, warn: write, info: write, debug: write };
}

function parseTools(list: string | undefined): PuffleMcpToolName[] | undefined {
  if (list === undefined) return undefined;
  const names = list
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(PUFFLE_MCP_TOOLS as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new CliError(
      `--tools: unknown tool(s) ${unknown.join(", ")}; the tools are ${PUFFLE_MCP_TOOLS.join(", ")}.`,
    );
  return names as PuffleMcpToolName[];
}

/** The stdio server, loaded only for this command: its SDK is an optional peer. */
async function loadStdio(): Promise<typeof import("../../mcp/stdio")> {
  try {
    return await import("../../mcp/stdio");
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND")
      throw new CliError(
        "puffle-chat mcp needs the MCP server SDK: npm install @modelcontextprotocol/server@^2.4",
      );
    throw error;
  }
}

/**
 * Add `puffle-chat mcp` to the program (one line in program.ts, so the commands of the others stay
 * untouched).
 *
 * @example
 * ```ts
 * registerMcpCommand(program, io, (code) => { exitCode = code; });
 * ```
 */
export function registerMcpCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command("mcp")
    .description(
      "Serve the MCP tools over stdio for an AI agent (Claude Desktop, Cursor, …); needs PUFFLE_API_KEY.",
    )
    .option("--read-only", "list only the tools that write nothing")
    .option(
      "--campaign <id>",
      "pin one campaign: its id leaves the tools' arguments, others are refused",
    )
    .option("--tools <names>", `comma-separated tools to serve (${PUFFLE_MCP_TOOLS.join(", ")})`)
    .option(
      "--max-wait <ms>",
      "longest wait of a tool before it answers running (default 45000)",
      parseDuration,
    )
    .action(async (opts: McpCommandOptions) => {
      done(await runMcp(opts, io));
    });
}
