/**
 * Word-boundary wrapping for the terminal: whole texts (sections, lines) and text that arrives in
 * pieces (a streamed reply), so that no word is split at the terminal's edge.
 *
 * @module
 */

/**
 * Wrap `text` at `width` columns on word boundaries. Existing line breaks are kept; a line's
 * leading spaces are repeated on its continuation lines; a word longer than a whole line is cut.
 * `width` of 0 or less (unknown) returns the text unchanged. Widths are counted in UTF-16 code
 * units (right for the plain text the CLI prints).
 *
 * @example
 * ```ts
 * wrapText("Before I build a framework, a few questions", 20);
 * // "Before I build a\nframework, a few\nquestions"
 * ```
 */
export function wrapText(text: string, width: number): string {
  if (!(width > 0)) return text;
  return text
    .split("\n")
    .map((line) => {
      const indent = /^ */.exec(line)?.[0] ?? "";
      const room = Math.max(1, width - indent.length);
      const wrapper = new StreamWrapper(() => room);
      const body = wrapper.push(line.slice(indent.length)) + wrapper.end();
      return body
        .split("\n")
        .map((l) => (l === "" ? l : indent + l))
        .join("\n");
    })
    .join("\n");
}

/**
 * Wraps text that arrives in pieces: `push` returns what can be written now (a word is held back
 * until it is complete, so it can move to the next line whole), `end` flushes the rest.
 *
 * @example
 * ```ts
 * const wrap = new StreamWrapper(() => process.stdout.columns ?? 0, "Puffle: ".length);
 * process.stdout.write(wrap.push("Thanks for the br"));
 * process.stdout.write(wrap.push("ief") + wrap.end());
 * ```
 */
export class StreamWrapper {
  #column: number;
  #word = "";
  #spaces = "";

  /**
   * @param width - the current width (read at every word, so a resized terminal is followed); 0
   * or less means unknown: nothing is wrapped.
   * @param column - the column the text starts at (after a prefix such as `"Puffle: "`).
   */
  constructor(
    private readonly width: () => number,
    column = 0,
  ) {
    this.#column = column;
  }

  /** Feed more text; returns what can be written now. */
  push(text: string): string {
    let out = "";
    for (const ch of text) {
      if (ch === "\n") {
        out += `${this.#flushWord()}\n`;
        this.#spaces = "";
        this.#column = 0;
      } else if (ch === " " || ch === "\t") {
        out += this.#flushWord();
        this.#spaces += ch;
      } else {
        this.#word += ch;
        const width = this.width();
        // A word longer than a whole line: cut it where the line ends.
        if (width > 0 && this.#word.length >= width) {
          out += this.#flushWord();
        }
      }
    }
    return out;
  }

  /** Flush the word held back (spaces at the very end are dropped). */
  end(): string {
    const out = this.#flushWord();
    this.#spaces = "";
    return out;
  }

  #flushWord(): string {
    if (this.#word === "") return "";
    const width = this.width();
    let out = "";
    if (
      width > 0 &&
      this.#column > 0 &&
      this.#column + this.#spaces.length + this.#word.length > width
    ) {
      out = `\n${this.#word}`;
      this.#column = this.#word.length;
    } else {
      out = this.#spaces + this.#word;
      this.#column += this.#spaces.length + this.#word.length;
    }
    this.#spaces = "";
    this.#word = "";
    return out;
  }
}
