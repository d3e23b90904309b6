import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { typeAhead } from "../../src/cli/chat-input";
import { StreamWrapper, wrapText } from "../../src/cli/wrap";

const word = fc.stringMatching(/^[a-zA-Z0-9,.?!:()"']{1,12}$/);
const words = fc.array(word, { minLength: 1, maxLength: 60 });

describe("wrapText and StreamWrapper", () => {
  it("wraps on word boundaries: no line longer than the width, every word whole and in order", () => {
    fc.assert(
      fc.property(words, fc.integer({ min: 12, max: 120 }), (ws, width) => {
        const text = ws.join(" ");
        const out = wrapText(text, width);
        for (const line of out.split("\n")) expect(line.length).toBeLessThanOrEqual(width);
        expect(out.split(/\s+/)).toEqual(ws);
      }),
    );
  });

  it("gives the same text whatever the chunks a stream arrives in", () => {
    fc.assert(
      fc.property(
        words,
        fc.integer({ min: 12, max: 120 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1 }),
        (ws, width, cuts) => {
          const text = ws.join(" ");
          const wrapper = new StreamWrapper(() => width);
          let out = "";
          let at = 0;
          for (let i = 0; at < text.length; i++) {
            const size = cuts[i % cuts.length] ?? 1;
            out += wrapper.push(text.slice(at, at + size));
            at += size;
          }
          out += wrapper.end();
          expect(out).toBe(wrapText(text, width));
        },
      ),
    );
  });

  it("keeps line breaks and indentation, cuts a word longer than a line, and leaves text alone at width 0", () => {
    expect(wrapText("  body:3:1 error unfilled-instruction: replace it", 24)).toBe(
      "  body:3:1 error\n  unfilled-instruction:\n  replace it",
    );
    expect(wrapText("a\n\nb", 10)).toBe("a\n\nb");
    expect(wrapText("abcdefghijkl", 5)).toBe("abcde\nfghij\nkl");
    expect(wrapText("questions about it", 0)).toBe("questions about it");
    // After a prefix such as "Puffle: ", the first line has less room.
    const w = new StreamWrapper(() => 20, "Puffle: ".length);
    expect(w.push("Thanks for the brief ") + w.end()).toBe("Thanks for\nthe brief");
  });
});

describe("typeAhead (keys typed during a wait)", () => {
  it("keeps printable text, applies Backspace and Ctrl-U, turns Enter into a space, skips arrows", () => {
    const interrupt = () => {
      throw new Error("no Ctrl-C here");
    };
    expect(typeAhead("", "Shorter\x7fr please\r", interrupt)).toBe("Shorter please ");
    expect(typeAhead("abc", "\x15new", interrupt)).toBe("new");
    expect(typeAhead("", "a\x1b[Db\x1bOCc", interrupt)).toBe("abc");
  });

  it("reports Ctrl-C and keeps what was typed", () => {
    let interrupted = 0;
    expect(typeAhead("draft", "\x03", () => interrupted++)).toBe("draft");
    expect(interrupted).toBe(1);
  });
});
