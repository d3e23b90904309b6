/**
 * Process signal handling the commands install for their lifetime.
 *
 * @module
 */

/**
 * The signals the commands handle.
 *
 * @example
 * ```ts
 * const off = onSignals((signal: HandledSignal) => console.log(signal));
 * ```
 */
export type HandledSignal = "SIGINT" | "SIGTERM";

/**
 * Call `handler` on SIGINT and SIGTERM until the returned function is called. While installed,
 * the signals no longer end the process by themselves.
 *
 * @example
 * ```ts
 * const off = onSignals((signal) => controller.abort());
 * try { … } finally { off(); }
 * ```
 */
export function onSignals(handler: (signal: HandledSignal) => void): () => void {
  const listener = (signal: NodeJS.Signals) => handler(signal === "SIGTERM" ? "SIGTERM" : "SIGINT");
  process.on("SIGINT", listener);
  process.on("SIGTERM", listener);
  return () => {
    process.off("SIGINT", listener);
    process.off("SIGTERM", listener);
  };
}
