/**
 * A Markdown page read as the steps a newcomer follows, in order: the shell commands of its `sh`
 * blocks, and the files its code blocks name (```` ```ts file=quickstart.mts ````: save the block
 * under that name). test/docs/newcomer.test.ts replays them in a fresh `npm init -y` project.
 *
 * The info string's `file=` is the only mark: the prose around the block says the same to the
 * reader ("save this as `quickstart.mts`"), and GitHub and typedoc read only the first word of an
 * info string as the language, so the mark does not show.
 */

/** One step of a page: run a shell command, or save a file. */
export type WalkStep =
  | { kind: "shell"; command: string; line: number }
  | { kind: "file"; name: string; code: string; line: number };

/**
 * The steps of `markdown`, limited to the sections from the heading `from` (included) up to the
 * next heading of the same level after the heading `through` (both `## Title` lines; omitted: the
 * whole page). Comment lines and blank lines of shell blocks are not steps.
 */
export function walkthrough(
  markdown: string,
  range?: { from: string; through: string },
): WalkStep[] {
  const lines = markdown.split("\n");
  const [start, end] = range ? sectionRange(lines, range.from, range.through) : [0, lines.length];
  const steps: WalkStep[] = [];
  for (let i = start; i < end; i++) {
    const open = /^(`{3,})\s*([\w-]*)\s*(.*)$/.exec(lines[i] ?? "");
    if (!open) continue;
    const [, fence = "```", lang = "", rest = ""] = open;
    let close = i + 1;
    while (close < lines.length && (lines[close] ?? "").trim() !== fence) close++;
    const body = lines.slice(i + 1, close);
    const file = /(?:^|\s)file=(\S+)/.exec(rest)?.[1];
    if (file) steps.push({ kind: "file", name: file, code: `${body.join("\n")}\n`, line: i + 2 });
    else if (lang === "sh" || lang === "bash") {
      body.forEach((text, k) => {
        const command = text.trim();
        if (command !== "" && !command.startsWith("#")) {
          steps.push({ kind: "shell", command, line: i + 2 + k });
        }
      });
    }
    i = close;
  }
  return steps;
}

function sectionRange(lines: string[], from: string, through: string): [number, number] {
  const start = lines.indexOf(from);
  const last = lines.indexOf(through, start);
  if (start < 0 || last < 0) throw new Error(`no section "${from}" … "${through}" in the page`);
  const level = /^#+ /.exec(from)?.[0] ?? "## ";
  let end = last + 1;
  while (end < lines.length && !(lines[end] ?? "").startsWith(level)) end++;
  return [start, end];
}
