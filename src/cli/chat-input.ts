/**
 * Where the chat reads the user's messages from: a clack `text` prompt in a terminal, lines of
 * stdin otherwise.
 *
 * @module
 */

import { createInterface } from "node:readline";
import { isCancel, text } from "@clack/prompts";
import type { CliIo } from "./io";

/**
 * A source of user messages.
 *
 * @example
 * ```ts
 * const input: MessageInput = lineInput(io);
 * const message = await input.read(signal); // null at the end
 * ```
 */
export interface MessageInput {
  /** The next message, or `null` at the end (EOF, Ctrl-C at the prompt, or `signal` aborted). */
  read(signal: AbortSignal): Promise<string | null>;
  /** Release stdin. Idempotent. */
  close(): void;
}

/**
 * A clack `text` prompt on the terminal. Ctrl-C or Ctrl-D at the prompt ends the input (`null`).
 * Between prompts the terminal is left in cooked mode, so Ctrl-C during a wait is a SIGINT.
 *
 * @example
 * ```ts
 * const input = promptInput(io);
 * const message = await input.read(signal);
 * ```
 */
export function promptInput(io: CliIo): MessageInput {
  const stdin = io.stdin as NodeJS.ReadStream;
  return {
    async read(signal) {
      const value = await text({
        message: "You",
        placeholder: "describe the email you want, or /help",
        input: stdin,
        output: io.stdout as NodeJS.WriteStream,
        signal,
      });
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      if (isCancel(value)) return null;
      return typeof value === "string" ? value : "";
    },
    close() {
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
    },
  };
}

/**
 * One message per line of stdin (blank lines are returned as `""`); `null` at EOF or when
 * `signal` aborts.
 *
 * @example
 * ```ts
 * const input = lineInput(io); // echo "Intro email" | puffle-chat chat --json
 * ```
 */
export function lineInput(io: CliIo): MessageInput {
  const rl = createInterface({
    input: io.stdin,
    terminal: false,
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const lines = rl[Symbol.asyncIterator]();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    rl.close();
  };
  return {
    async read(signal) {
      if (closed || signal.aborted) return null;
      const onAbort = () => close();
      signal.addEventListener("abort", onAbort, { once: true });
      try {
        const next = await lines.next();
        return next.done ? null : next.value;
      } finally {
        signal.removeEventListener("abort", onAbort);
      }
    },
    close,
  };
}
