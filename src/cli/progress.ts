/**
 * A progress indicator: a nanospinner when the output is a terminal, plain lines otherwise, or
 * nothing at all (JSON mode).
 *
 * @module
 */

import { createSpinner, type Spinner } from "nanospinner";
import type { CliOutput } from "./io";

/**
 * What the commands use to show that they are waiting.
 *
 * @example
 * ```ts
 * const progress: Progress = createProgress(io.stdout);
 * progress.start("Waiting for Puffle");
 * progress.clear();
 * ```
 */
export interface Progress {
  /** Show that something is under way. */
  start(text: string): void;
  /** Change the text of a running indicator (a no-op in plain mode). */
  update(text: string): void;
  /** Remove the indicator without a closing line (before streaming text in its place). */
  clear(): void;
  /** End with a success line. */
  succeed(text: string): void;
  /** End with a failure line. */
  fail(text: string): void;
}

/**
 * Create a progress indicator writing to `out`: `"auto"` (default) picks a spinner when `out` is a
 * terminal and plain lines (`… text`, `✔ text`) otherwise; `"silent"` writes nothing.
 *
 * nanospinner installs SIGINT/SIGTERM handlers that exit the process while it spins; they are
 * removed at once so that Ctrl-C can cancel a wait instead (the commands own signal handling).
 *
 * @example
 * ```ts
 * const progress = createProgress(io.stdout);
 * progress.start("Waiting for Puffle");
 * progress.succeed("Reply received");
 * ```
 */
export function createProgress(out: CliOutput, mode: "auto" | "silent" = "auto"): Progress {
  if (mode === "silent") {
    const noop = () => {};
    return { start: noop, update: noop, clear: noop, succeed: noop, fail: noop };
  }
  if (!out.isTTY) {
    return {
      start: (text) => out.write(`… ${text}\n`),
      update: () => {},
      clear: () => {},
      succeed: (text) => out.write(`✔ ${text}\n`),
      fail: (text) => out.write(`✖ ${text}\n`),
    };
  }
  let spinner: Spinner | undefined;
  const end = (fn: (s: Spinner) => void) => {
    if (spinner?.isSpinning()) fn(spinner);
    spinner = undefined;
  };
  return {
    start(text) {
      end((s) => s.stop());
      spinner = withoutSignalHandlers(() =>
        createSpinner(text, { stream: out as NodeJS.WriteStream }).start(),
      );
    },
    update(text) {
      spinner?.update({ text });
    },
    clear() {
      end((s) => s.stop());
    },
    succeed(text) {
      end((s) => s.success({ text }));
    },
    fail(text) {
      end((s) => s.error({ text }));
    },
  };
}

/** Run `fn` and remove any SIGINT/SIGTERM listener it added. */
function withoutSignalHandlers<T>(fn: () => T): T {
  const signals = ["SIGINT", "SIGTERM"] as const;
  const before = new Map(signals.map((s) => [s, process.listeners(s)]));
  try {
    return fn();
  } finally {
    for (const signal of signals) {
      const old = before.get(signal) ?? [];
      for (const listener of process.listeners(signal)) {
        if (!old.includes(listener)) process.off(signal, listener);
      }
    }
  }
}
