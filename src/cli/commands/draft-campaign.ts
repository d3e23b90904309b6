/**
 * `puffle-chat draft-campaign <campaignId>`: every email and ai node of a campaign drafted with
 * `draftCampaign`, a live view of the nodes, Ctrl-C that stops sending and says how to resume,
 * and `--state <file>` (the file store) so that running the command again resumes.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { createFileStore } from "../../campaign/index";
import type { DraftCampaignResult } from "../../core/draft-types";
import { PuffleClient } from "../../index";
import { contentNodes } from "../../lib/draft-plan";
import { parseCount } from "../args";
import { createDraftView, formatResult } from "../draft-view";
import { CliError, oneLine } from "../errors";
import type { CliIo } from "../io";
import { createPrinter } from "../output";
import { onSignals } from "../signals";

/**
 * Flags of `puffle-chat draft-campaign`.
 *
 * @example
 * ```ts
 * const options: DraftCampaignCommandOptions = { brief: "Q3 outreach to VPs of Sales", state: "state.json" };
 * ```
 */
export interface DraftCampaignCommandOptions {
  brief?: string | undefined;
  briefFile?: string | undefined;
  finish?: boolean | undefined;
  concurrency?: number | undefined;
  state?: string | undefined;
  json?: boolean | undefined;
  maxTurnsPerNode?: number | undefined;
}

/**
 * Add `draft-campaign` to `program`; `done` receives the exit code.
 *
 * @example
 * ```ts
 * registerDraftCampaign(program, io, (c) => { code = c; });
 * ```
 */
export function registerDraftCampaign(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command("draft-campaign")
    .argument("<campaignId>", "the draft campaign whose email and ai nodes to draft")
    .description(
      "Draft every email and ai node of a campaign (PUFFLE_API_KEY / PUFFLE_BASE_URL name the server). Exit 0: all drafted; 4: some node needs attention; 1: an error; 130: Ctrl-C (rerun with the same --state to resume).",
    )
    .option("--brief <text>", "what the campaign is for (the first turn of every node)")
    .option("--brief-file <path>", "read the brief from a file")
    .option("--finish", "copy each drafted email onto its node and resolve the messages")
    .option("--concurrency <n>", "sessions in flight at once (default 2)", parseCount)
    .option(
      "--max-turns-per-node <n>",
      "turns per node before it needs attention (default 4)",
      parseCount,
    )
    .option("--state <file>", "keep dispatch intents in this JSON file; run again to resume")
    .option("--json", "one JSON event per line, then the result")
    .action(async (campaignId: string, opts: DraftCampaignCommandOptions) => {
      done(await runDraftCampaign(campaignId, opts, io));
    });
}

/** Exit codes: every node drafted; an error; some node needs attention; interrupted. */
const EXIT = { ok: 0, error: 1, attention: 4, interrupted: 130 } as const;

/**
 * Draft the campaign against the API named by `PUFFLE_API_KEY` / `PUFFLE_BASE_URL` (the lines
 * `puffle-chat emulator` prints point them at an emulator).
 *
 * @returns 0 when every node is drafted (or finished), 4 when some node needs attention, 1 on an
 * error, 130 after Ctrl-C.
 * @example
 * ```ts
 * const code = await runDraftCampaign(campaignId, { brief: "Q3 outreach", state: "state.json" }, processIo());
 * ```
 */
export async function runDraftCampaign(
  campaignId: string,
  options: DraftCampaignCommandOptions,
  io: CliIo,
): Promise<number> {
  const print = createPrinter(io.stdout);
  const controller = new AbortController();
  let interrupted = false;
  const off = onSignals(() => {
    if (interrupted) return;
    interrupted = true;
    controller.abort();
  });
  try {
    const brief = await briefOf(options);
    const client = clientFrom(io.env);
    const detail = await client.getCampaign(campaignId);
    const nodes = contentNodes(detail.sequence_nodes).map((c) => ({
      nodeId: c.node.id,
      type: c.type,
    }));
    if (!options.json) {
      print.line(
        `Drafting campaign ${campaignId} (${nodes.length} content nodes) at ${client.baseURL}`,
      );
      if (options.state)
        print.line(`State: ${options.state} (run the same command again to resume)`);
    }
    const view = createDraftView(io.stdout, nodes, options.json === true);
    let result: DraftCampaignResult;
    try {
      result = await client.draftCampaign(campaignId, {
        brief,
        signal: controller.signal,
        onProgress: view.update,
        ...(options.finish ? { finish: true } : {}),
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
        ...(options.maxTurnsPerNode ? { maxTurnsPerNode: options.maxTurnsPerNode } : {}),
        ...(options.state ? { store: createFileStore(options.state) } : {}),
      });
    } finally {
      view.close();
    }
    if (interrupted) return await reportInterrupt(client, campaignId, result, options, io);
    return report(result, options, io);
  } catch (error) {
    if (interrupted) {
      io.stderr.write(`Interrupted: ${oneLine(error)}\n`);
      return EXIT.interrupted;
    }
    io.stderr.write(`Error: ${oneLine(error)}\n`);
    return EXIT.error;
  } finally {
    off();
  }
}

/** The brief from `--brief` or `--brief-file` (exactly one). */
async function briefOf(options: DraftCampaignCommandOptions): Promise<string> {
  if ((options.brief === undefined) === (options.briefFile === undefined)) {
    throw new CliError("Give the brief with --brief <text> or --brief-file <path> (one of them).");
  }
  if (options.brief !== undefined) return options.brief;
  try {
    return await readFile(options.briefFile as string, "utf8");
  } catch (error) {
    throw new CliError(`Cannot read --brief-file ${options.briefFile}: ${oneLine(error)}`);
  }
}

/** The client of the environment; this command never starts an emulator of its own. */
function clientFrom(env: CliIo["env"]): PuffleClient {
  const apiKey = env.PUFFLE_API_KEY?.trim();
  if (!apiKey) {
    throw new CliError(
      "PUFFLE_API_KEY is not set. Set it (and PUFFLE_BASE_URL for another server), or run `puffle-chat emulator` and paste the export lines it prints.",
    );
  }
  return new PuffleClient({
    apiKey,
    baseURL: env.PUFFLE_BASE_URL || env.PUFFLE_API_BASE_URL || undefined,
    triggerBaseURL: env.PUFFLE_TRIGGER_BASE_URL || undefined,
    logLevel: "off",
  });
}

function report(
  result: DraftCampaignResult,
  options: DraftCampaignCommandOptions,
  io: CliIo,
): number {
  const print = createPrinter(io.stdout);
  const done = result.nodes.every((n) => n.status === "drafted" || n.status === "finished");
  if (options.json) print.json({ event: "result", ...result });
  else {
    print.line();
    for (const [i, n] of result.nodes.entries()) print.line(formatResult(n, i));
    print.line(
      `${result.turnsSent} turns sent, ${result.requests} requests, ${Math.round(result.elapsedMs / 1000)} s.`,
    );
  }
  if (result.nodes.some((n) => n.status === "failed")) return EXIT.error;
  return done ? EXIT.ok : EXIT.attention;
}

/**
 * After Ctrl-C: nothing more is sent. Read each node's session once (free) to say which task
 * still runs on Puffle's side (it finishes on its own), then how to resume.
 */
async function reportInterrupt(
  client: PuffleClient,
  campaignId: string,
  result: DraftCampaignResult,
  options: DraftCampaignCommandOptions,
  io: CliIo,
): Promise<number> {
  const print = createPrinter(io.stdout);
  const running: string[] = [];
  for (const [i, n] of result.nodes.entries()) {
    if (!n.sessionId) continue;
    const session = await client.getSession(n.sessionId, { timeout: 5_000 }).catch(() => undefined);
    const status = session === undefined ? "could not be read" : session.task_status;
    if (status)
      running.push(
        `  node ${i + 1} (${n.nodeType} ${n.nodeId}): ${status} on session ${n.sessionId}`,
      );
  }
  if (options.json) {
    print.json({ event: "interrupted", running, ...result });
    return EXIT.interrupted;
  }
  print.line("\nStopped: nothing more is sent.");
  if (running.length) {
    print.line("Still running on Puffle's side (it finishes on its own):");
    for (const line of running) print.line(line);
  } else print.line("Nothing is running on Puffle's side.");
  const brief = options.briefFile
    ? `--brief-file ${options.briefFile}`
    : "--brief <the same brief>";
  const state = options.state ? ` --state ${options.state}` : " --state <file>";
  print.line(
    `Resume: puffle-chat draft-campaign ${campaignId} ${brief}${state}${options.finish ? " --finish" : ""}`,
  );
  if (!options.state)
    print.line(
      "(Without --state, the resumed run waits a quiet period before sending to a session updated moments ago.)",
    );
  return EXIT.interrupted;
}
