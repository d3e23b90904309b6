/**
 * Code blocks of the README and the guides under docs/: extraction, and the files the snippet
 * test typechecks and runs.
 *
 * Every ```ts (or ```typescript / ```tsx) block is a snippet. A snippet is runnable (typechecked,
 * then executed against an emulator) unless its info string says `fragment`: a fragment is only
 * typechecked, with the inputs it does not define declared in an HTML comment right before the
 * fence, which readers of the rendered page do not see:
 *
 *     <!-- prelude
 *     import type { Session } from "puffle-chat";
 *     declare const session: Session;
 *     -->
 *     ```ts fragment
 *     console.log(session.draft_subject);
 *     ```
 */

import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** One code block of a Markdown file. */
export interface Snippet {
  /** Markdown file, relative to the project root (`README.md`, `docs/guides/waiting.md`). */
  file: string;
  /** 1-based line of the first line of code (the line after the opening fence). */
  line: number;
  /** The info string's language (`ts`, `typescript`, `tsx`). */
  lang: string;
  /** `true` when the info string says `fragment`: typechecked, never run. */
  fragment: boolean;
  /** The code between the fences. */
  code: string;
  /** The declared inputs of a fragment (the `<!-- prelude … -->` comment before it), or "". */
  prelude: string;
}

const TS_LANGS = new Set(["ts", "typescript", "tsx", "mts"]);

/** Every TypeScript block of one Markdown text. */
export function extractSnippets(file: string, markdown: string): Snippet[] {
  const lines = markdown.split("\n");
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*(.*)$/.exec(lines[i] ?? "");
    if (!open) continue;
    const [, indentation = "", fence = "```", lang = "", rest = ""] = open;
    // Find the closing fence (same character, at least as long).
    let end = i + 1;
    while (end < lines.length) {
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(lines[end] ?? "");
      if (close?.[1] && close[1][0] === fence[0] && close[1].length >= fence.length) break;
      end++;
    }
    if (TS_LANGS.has(lang.toLowerCase())) {
      const body = lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indentation) ? l.slice(indentation.length) : l));
      out.push({
        file,
        line: i + 2,
        lang: lang.toLowerCase(),
        fragment: /\bfragment\b/.test(rest),
        code: `${body.join("\n")}\n`,
        prelude: preludeBefore(lines, i),
      });
    }
    i = end;
  }
  return out;
}

/** The `<!-- prelude … -->` comment that ends right before line `fenceIndex`, or "". */
function preludeBefore(lines: string[], fenceIndex: number): string {
  let j = fenceIndex - 1;
  while (j >= 0 && (lines[j] ?? "").trim() === "") j--;
  if (j < 0 || !(lines[j] ?? "").trim().endsWith("-->")) return "";
  let start = j;
  while (start >= 0 && !(lines[start] ?? "").includes("<!--")) start--;
  if (start < 0) return "";
  const comment = lines.slice(start, j + 1).join("\n");
  const match = /<!--\s*prelude\b([\s\S]*?)-->/.exec(comment);
  return match?.[1] ? `${match[1].trim()}\n` : "";
}

/** The Markdown files whose blocks are checked: README.md and every .md under docs/ (not the generated reference). */
export function documentationFiles(root: string): string[] {
  const files = ["README.md"];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "reference" && entry.name !== "screenshots") walk(path);
      } else if (entry.name.endsWith(".md")) {
        files.push(relative(root, path));
      }
    }
  };
  walk(join(root, "docs"));
  return files.sort((a, b) =>
    a === "README.md" ? -1 : b === "README.md" ? 1 : a.localeCompare(b),
  );
}

/** Every snippet of the project's documentation. */
export function projectSnippets(root: string): Snippet[] {
  return documentationFiles(root).flatMap((file) =>
    extractSnippets(file, readFileSync(join(root, file), "utf8")),
  );
}

/** A stable file name for a snippet: `README.md` line 40 → `README_md_L40.ts`. */
export function snippetFileName(s: Snippet): string {
  const ext = s.lang === "tsx" ? "tsx" : "ts";
  return `${s.file.replace(/[^\w]+/g, "_")}_L${s.line}.${ext}`;
}

/**
 * The source compiled for a snippet: the prelude (fragments), then the code. Returns the text and
 * how many lines precede the code, to map a diagnostic back to the Markdown line.
 */
export function snippetSource(s: Snippet): { text: string; offset: number } {
  const prelude = s.fragment ? s.prelude : "";
  const offset = prelude === "" ? 0 : prelude.split("\n").length - 1;
  return { text: `${prelude}${s.code}`, offset };
}
