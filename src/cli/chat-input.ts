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
  /**
   * While a wait runs (interactive only): take the keyboard without echo, keep what is typed for
   * the next prompt (reported through `onChange`), and call `onInterrupt` on Ctrl-C (in raw mode
   * Ctrl-C is a key, not a signal). Returns the function that gives the keyboard back.
   */
  hold?(handlers: { onInterrupt(): void; onChange(typed: string): void }): () => void;
  /** Put text back for the next prompt (a message that could not be sent). */
  keep?(text: string): void;
}

/**
 * Apply the keys of one raw-mode chunk to the text typed ahead: printable characters are added,
 * Backspace removes one, Ctrl-U clears, Enter becomes a space (the text is kept, not sent), escape
 * sequences (arrows…) and other control keys are ignored. Ctrl-C is reported through `interrupt`.
 *
 * @example
 * ```ts
 * typeAhead("", "Shorter\x7fr please\r", () => {}); // "Shorter please "
 * ```
 */
export function typeAhead(typed: string, chunk: string, interrupt: () => void): string {
  let text = typed;
  for (let i = 0; i < chunk.length; i++) {
    const ch = chunk[i] ?? "";
    if (ch === "\x03") interrupt();
    else if (ch === "\x1b") {
      // CSI / SS3 sequences: ESC [ … final byte, ESC O x; a lone ESC is skipped.
      if (chunk[i + 1] === "[" || chunk[i + 1] === "O") {
        i += 2;
        while (i < chunk.length && !/[@-~]/.test(chunk[i] ?? "")) i++;
      }
    } else if (ch === "\x7f" || ch === "\b") text = Array.from(text).slice(0, -1).join("");
    else if (ch === "\x15") text = "";
    else if (ch === "\r" || ch === "\n" || ch === "\t") {
      if (text !== "" && !text.endsWith(" ")) text += " ";
    } else if (ch >= " ") text += ch;
  }
  return text;
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
  /** Text typed during the last wait (or a message put back), shown in the next prompt. */
  let typed = "";
  return {
    async read(signal) {
      const initial = typed.trimEnd();
      typed = "";
      const value = await text({
        message: "You",
        placeholder: "describe the email you want, or /help",
        input: stdin,
        output: io.stdout as NodeJS.WriteStream,
        signal,
        ...(initial === "" ? {} : { initialValue: initial }),
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
    hold({ onInterrupt, onChange }) {
      if (!stdin.isTTY) return () => {};
      const onData = (chunk: Buffer | string) => {
        const before = typed;
        typed = typeAhead(typed, String(chunk), onInterrupt);
        if (typed !== before) onChange(typed);
      };
      stdin.setRawMode(true);
      stdin.on("data", onData);
      stdin.resume();
      return () => {
        stdin.off("data", onData);
        stdin.setRawMode(false);
        stdin.pause();
      };
    },
    keep(text) {
      typed = typed === "" ? text : `${text} ${typed}`;
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
