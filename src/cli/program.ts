/**
 * The `puffle-chat` command line: commander wiring of the commands (`mcp` registers itself).
 *
 * @module
 */

import { Command, CommanderError } from "commander";
import { VERSION } from "../version";
import { parseDuration, parsePerMinute, parsePort } from "./args";
import { CHAT_COMMANDS, chatCommandsHelp } from "./chat-view";
import { type ChatCommandOptions, runChat } from "./commands/chat";
import { runDemo } from "./commands/demo";
import { registerDraftCampaign } from "./commands/draft-campaign";
import { type EmulatorCommandOptions, runEmulator } from "./commands/emulator";
import { registerMcpCommand } from "./commands/mcp";
import type { CliIo } from "./io";

/**
 * Parse `argv` (the arguments after the program name) and run the chosen command.
 *
 * @returns the exit code: 0 on success, 1 on an error (one line on stderr), 2 on a usage error,
 * 130 when a non-interactive chat is interrupted.
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), processIo());
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code = 0;
  const program = new Command("puffle-chat")
    .description(
      "Puffle campaign AI chat: a demo, an offline emulator, an interactive chat, whole-campaign drafting and an MCP server.",
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError("(run puffle-chat --help for usage)");

  program
    .command("emulator")
    .description("Serve the Puffle API emulator on 127.0.0.1 until Ctrl-C or SIGTERM.")
    .option("-p, --port <n>", "port to listen on (0: a free port)", parsePort, 4010)
    .option("--task-duration <ms>", "how long each turn or example run takes", parseDuration)
    .option(
      "--requests-per-minute <n>",
      "rate limit per API key: 429 with Retry-After over n Puffle requests in any 60 s",
      parsePerMinute,
    )
    .action(async (opts: EmulatorCommandOptions) => {
      code = await runEmulator(opts, io);
    });

  program
    .command("demo")
    .description(
      "Run the whole flow: session, three turns, examples for three leads (embedded emulator unless PUFFLE_API_KEY is set).",
    )
    .option("--campaign <id>", "campaign id (default: PUFFLE_CAMPAIGN_ID, or the emulator's demo)")
    .option("--node <id>", "ai node id (default: PUFFLE_NODE_ID, or the emulator's demo)")
    .option("--task-duration <ms>", "embedded emulator task duration (default 1500)", parseDuration)
    .action(async (opts: { campaign?: string; node?: string; taskDuration?: number }) => {
      code = await runDemo(opts, io);
    });

  program
    .command("chat")
    .description(
      `Chat with Puffle about one campaign node; it resumes the node's session; ${Object.keys(CHAT_COMMANDS).join(", ")} (embedded emulator unless PUFFLE_API_KEY is set).`,
    )
    .option("--campaign <id>", "campaign id (default: PUFFLE_CAMPAIGN_ID, or the emulator's demo)")
    .option("--node <id>", "ai node id (default: PUFFLE_NODE_ID, or the emulator's demo)")
    .option("--new", "start another session for the node instead of resuming its oldest one")
    .option("--session <id>", "open this session (the id the chat prints when it ends)")
    .option("--json", "read messages from stdin, write one JSON event per line")
    .option("--task-duration <ms>", "embedded emulator task duration (default 1500)", parseDuration)
    .addHelpText("after", chatCommandsHelp())
    .action(async (opts: ChatCommandOptions) => {
      code = await runChat(opts, io);
    });

  registerDraftCampaign(program, io, (c) => (code = c));
  registerMcpCommand(program, io, (c) => (code = c));

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with exit code 0; usage errors were already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    throw error;
  }
  return code;
}
