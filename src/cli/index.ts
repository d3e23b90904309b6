#!/usr/bin/env node
/**
 * The `puffle-chat` bin: `demo`, `emulator`, `chat` and `mcp`. See {@link runCli}.
 *
 * @module
 */

import { oneLine } from "./errors";
import { processIo } from "./io";
import { runCli } from "./program";

runCli(process.argv.slice(2), processIo()).then(
  (code) => exit(code),
  (error: unknown) => {
    process.stderr.write(`Error: ${oneLine(error)}\n`);
    exit(1);
  },
);

/**
 * Set the exit code and let the process end on its own; force the exit only if something still
 * holds the event loop a moment later (the timer itself does not keep the process alive).
 */
function exit(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 1000).unref();
}
