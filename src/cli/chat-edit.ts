/**
 * Editing the draft from the terminal chat: `/edit` opens `$VISUAL` / `$EDITOR` on the subject and
 * body, `/set subject …` and `/set body …` replace one field. The result is written with
 * `updateSession`; nothing is sent when nothing changed.
 *
 * @module
 */

import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A draft as the chat edits it.
 *
 * @example
 * ```ts
 * const draft: EditableDraft = { subject: "Hi %first_name%", body: "Hello" };
 * ```
 */
export interface EditableDraft {
  subject: string;
  body: string;
}

const SUBJECT = /^Subject:[ \t]?(.*)$/;

/**
 * The file the editor opens: `Subject: …`, a blank line, the body.
 *
 * @example
 * ```ts
 * draftFile({ subject: "Hi", body: "Hello" }); // "Subject: Hi\n\nHello\n"
 * ```
 */
export function draftFile(draft: EditableDraft): string {
  return `Subject: ${draft.subject}\n\n${draft.body}\n`;
}

/**
 * Read the edited file back: the first line is the subject (with or without `Subject:`), the
 * rest after one blank line the body (trailing new lines dropped, as editors add one).
 *
 * @example
 * ```ts
 * parseDraftFile("Subject: Hi\n\nHello\n"); // { subject: "Hi", body: "Hello" }
 * ```
 */
export function parseDraftFile(text: string): EditableDraft {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const first = lines.shift() ?? "";
  if (lines[0]?.trim() === "") lines.shift();
  const subject = SUBJECT.exec(first)?.[1] ?? first;
  return { subject: subject.trim(), body: lines.join("\n").replace(/\n+$/, "") };
}

/**
 * Open the editor (`VISUAL`, else `EDITOR`, else `vi` / `notepad`) on the draft and wait for it to
 * exit; the edited draft, or `undefined` when the editor failed (its exit code is in the reason).
 *
 * The command runs through the shell as git runs `core.editor`, so `EDITOR="code --wait"` works.
 * The terminal is the editor's until it exits: the caller holds no keyboard and ignores SIGINT.
 *
 * @example
 * ```ts
 * const edited = await editInEditor(draft, process.env);
 * ```
 */
export async function editInEditor(
  draft: EditableDraft,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ draft: EditableDraft } | { failed: string }> {
  const editor = env.VISUAL?.trim() || env.EDITOR?.trim() || defaultEditor();
  const dir = await mkdtemp(join(tmpdir(), "puffle-draft-"));
  const file = join(dir, "draft.txt");
  try {
    await writeFile(file, draftFile(draft), "utf8");
    const code = await new Promise<number | string>((resolve) => {
      const child = spawn(`${editor} "${file}"`, { shell: true, stdio: "inherit" });
      child.on("error", (error) => resolve(error.message));
      child.on("exit", (exitCode, signal) => resolve(exitCode ?? signal ?? 1));
    });
    if (code !== 0) return { failed: `the editor (${editor}) ended with ${code}` };
    return { draft: parseDraftFile(await readFile(file, "utf8")) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function defaultEditor(): string {
  return process.platform === "win32" ? "notepad" : "vi";
}

/**
 * `/set subject <text>` or `/set body <text>` (`\n` in the text is a new line): the draft with
 * that field replaced, or the usage line when the command is not one of these.
 *
 * @example
 * ```ts
 * setField(draft, "/set subject Quick question"); // { draft: { subject: "Quick question", … } }
 * ```
 */
export function setField(
  draft: EditableDraft,
  command: string,
): { draft: EditableDraft } | { usage: string } {
  const match = /^\/set\s+(subject|body)(?:\s+([\s\S]*))?$/.exec(command.trim());
  const value = match?.[2]?.trim();
  if (!match || !value)
    return {
      usage:
        "Usage: /set subject <text> or /set body <text> (write \\n for a new line); /edit opens your $EDITOR on both.",
    };
  const text = value.replace(/\\n/g, "\n");
  return { draft: match[1] === "subject" ? { ...draft, subject: text } : { ...draft, body: text } };
}
