/**
 * Shared output helpers: lines, titled sections and JSON events, secrets redacted on the way out.
 *
 * @module
 */

import { redactText, redactValueWhole } from "../base/redact";
import type { CliOutput } from "./io";

/**
 * Writes the commands' output.
 *
 * @example
 * ```ts
 * const print: Printer = createPrinter(io.stdout);
 * print.json({ type: "reply", reply });
 * ```
 */
export interface Printer {
  /** One line (an empty line without argument). */
  line(text?: string): void;
  /** Text as is, no newline added (streamed reply deltas). */
  raw(text: string): void;
  /** A titled section: `── Title ──` then the body. */
  section(title: string, body: string): void;
  /** One JSON object on its own line (`--json` mode). */
  json(event: Record<string, unknown>): void;
}

/**
 * A {@link Printer} writing to `out`. Every line goes through the SDK's redaction, so an API key
 * (beyond its 24-character prefix) or a public token can never be printed by accident.
 *
 * @example
 * ```ts
 * const print = createPrinter(io.stdout);
 * print.section("Draft", formatDraft(s.draft_subject, s.draft_body));
 * ```
 */
export function createPrinter(out: CliOutput): Printer {
  return {
    line: (text = "") => out.write(`${redactText(text)}\n`),
    raw: (text) => out.write(redactText(text)),
    section: (title, body) => {
      const rule = "─".repeat(Math.max(3, 56 - title.length));
      out.write(`\n── ${title} ${rule}\n${redactText(body)}\n`);
    },
    json: (event) => out.write(`${JSON.stringify(redactValueWhole(event))}\n`),
  };
}
