/**
 * `puffle-chat emulator`: serve the emulator on 127.0.0.1 until SIGINT or SIGTERM.
 *
 * @module
 */

import { createEmulator } from "../../testing/index";
import { oneLine } from "../errors";
import type { CliIo } from "../io";
import { createPrinter } from "../output";
import { onSignals } from "../signals";

/**
 * Flags of `puffle-chat emulator`.
 *
 * @example
 * ```ts
 * await runEmulator({ port: 0, taskDuration: 200 } satisfies EmulatorCommandOptions, processIo());
 * ```
 */
export interface EmulatorCommandOptions {
  /** Port on 127.0.0.1; 0 picks a free one. Default 4010 (set by the command line). */
  port: number;
  /** Task duration in ms. Default: the emulator's own (2000). */
  taskDuration?: number | undefined;
  /** Puffle API requests per key per minute (429 over it). Default: no limit. */
  requestsPerMinute?: number | undefined;
}

/**
 * Serve the emulator and print, one per line, `URL: …`, `API key: …`, `Campaign: …`, `AI node: …`,
 * then two `export …` lines to paste into another shell (they point the SDK and the CLI at this
 * emulator). The emulator's demo key is printed in full: it is a fixed, public test key that only
 * this emulator accepts, and the export line is useless without it. Resolves with exit code 0
 * once a SIGINT or SIGTERM has closed the server.
 *
 * @returns 0 after a clean stop; 1 (with a one-line error) when the port cannot be used.
 * @example
 * ```ts
 * await runEmulator({ port: 0 }, processIo());
 * ```
 */
export async function runEmulator(options: EmulatorCommandOptions, io: CliIo): Promise<number> {
  const print = createPrinter(io.stdout);
  const emulator = createEmulator({
    ...(options.taskDuration === undefined ? {} : { taskDurationMs: options.taskDuration }),
    ...(options.requestsPerMinute === undefined
      ? {}
      : { requestsPerMinute: options.requestsPerMinute }),
  });
  let stopped!: () => void;
  const stop = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  const off = onSignals(() => stopped());
  try {
    const server = await emulator.listen({ port: options.port, host: "127.0.0.1" });
    const { demo } = emulator;
    const limit = emulator.settings.requestsPerMinute;
    print.line(
      `Puffle emulator (tasks take ${emulator.settings.taskDurationMs} ms${limit ? `; at most ${limit} requests per minute per key` : ""})`,
    );
    // Written directly: the demo key is the emulator's public test key (see above).
    io.stdout.write(
      [
        `URL: ${server.url}`,
        `API key: ${server.apiKey}`,
        `Campaign: ${demo.campaignId}`,
        `AI node: ${demo.nodeId}`,
        `Email campaign to finish: ${demo.emailCampaign.campaignId} (email node ${demo.emailCampaign.nodeId})`,
        `AI campaign to finish: ${demo.aiCampaign.campaignId} (ai node ${demo.aiCampaign.nodeId})`,
        "",
        "Paste into another shell to use it:",
        `export PUFFLE_API_KEY=${server.apiKey} PUFFLE_BASE_URL=${server.url} PUFFLE_TRIGGER_BASE_URL=${server.url}`,
        `export PUFFLE_CAMPAIGN_ID=${demo.campaignId} PUFFLE_NODE_ID=${demo.nodeId}`,
        "",
        `Draft the demo campaign's ${demo.contentNodeIds.length} content nodes (ai, email, email follow-up) there:`,
        `npx puffle-chat draft-campaign ${demo.campaignId} --brief "Intro to VPs of Sales about pipeline analytics" --state draft-state.json`,
        "",
        "Press Ctrl-C to stop.",
        "",
      ].join("\n"),
    );
    await stop;
    await server.close();
    print.line("Emulator stopped.");
    return 0;
  } catch (error) {
    io.stderr.write(`Error: ${portHint(error, options.port) ?? oneLine(error)}\n`);
    return 1;
  } finally {
    off();
  }
}

/**
 * One line for a port that cannot be used (in use, or not allowed), with what to do; `undefined`
 * for any other error.
 *
 * @example
 * ```ts
 * portHint(Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" }), 4010);
 * // "port 4010 on 127.0.0.1 is already in use: pass another with --port N, or --port 0 for any free port."
 * ```
 */
export function portHint(error: unknown, port: number): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "EADDRINUSE") {
    return `port ${port} on 127.0.0.1 is already in use: pass another with --port N, or --port 0 for any free port.`;
  }
  if (code === "EACCES") {
    return `port ${port} on 127.0.0.1 is not allowed for this user: pass one above 1023 with --port N, or --port 0 for any free port.`;
  }
  return undefined;
}
