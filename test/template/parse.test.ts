import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isVariableName,
  parseTemplate,
  positionAt,
  stringifyParts,
  type TemplatePart,
} from "../../src/template";
import { binaryString, hostileString, loneSurrogate, segment, writeSegment } from "./arbitraries";

function source(part: TemplatePart): string {
  return part.kind === "text" ? part.value : part.raw;
}

describe("parseTemplate", () => {
  it("splits text, percent variables, braces variables and instruction blocks", () => {
    const parts = parseTemplate("Hi %first_name%, &&mention %company%&& {{ position }}!");
    expect(parts.map((p) => p.kind)).toEqual([
      "text",
      "variable",
      "text",
      "instruction",
      "text",
      "variable",
      "text",
    ]);
    expect(parts[1]).toEqual({
      kind: "variable",
      name: "first_name",
      syntax: "percent",
      raw: "%first_name%",
      start: 3,
      end: 15,
      line: 1,
      column: 4,
    });
    const block = parts[3];
    expect(block?.kind === "instruction" && block.instruction).toBe("mention %company%");
    expect(
      block?.kind === "instruction" && block.variables.map((v) => [v.name, v.start, v.end]),
    ).toEqual([["company", 27, 36]]);
    expect(parts[5]).toMatchObject({
      kind: "variable",
      name: "position",
      syntax: "braces",
      raw: "{{ position }}",
    });
  });

  it("keeps prices and stray percent signs as text", () => {
    for (const text of [
      "20% off",
      "100%",
      "Save 20%, today 30%",
      "50 % of",
      "%20",
      "a%20b%20c",
      "5%%",
      "%first name%",
      "%.x%",
      "%x.%",
    ]) {
      expect(parseTemplate(text), text).toEqual([
        { kind: "text", value: text, start: 0, end: text.length, line: 1, column: 1 },
      ]);
    }
  });

  it("reads a percent sign right before a variable as text", () => {
    expect(parseTemplate("5%%company%").map((p) => p.kind)).toEqual(["text", "variable"]);
  });

  it("leaves percent-encoded URL bytes as text", () => {
    const url = "https://x.io/?q=%E2%80%94&r=%C3%A9";
    expect(parseTemplate(url)).toHaveLength(1);
    expect(parseTemplate("%E2%")[0]?.kind).toBe("variable");
    // The price of the heuristic: a two-hex-digit name glued to two hex digits reads as URL encoding.
    expect(parseTemplate("%ab%cd")).toHaveLength(1);
    expect(parseTemplate("%ab%, cd").map((p) => p.kind)).toEqual(["variable", "text"]);
  });

  it("accepts dotted custom field names and Unicode letters", () => {
    expect(parseTemplate("%custom_fields.industry%")[0]).toMatchObject({
      kind: "variable",
      name: "custom_fields.industry",
    });
    expect(parseTemplate("%custom_fields.2024_budget%")[0]).toMatchObject({
      name: "custom_fields.2024_budget",
    });
    expect(parseTemplate("%société%")[0]).toMatchObject({ kind: "variable", name: "société" });
    expect(parseTemplate("%2x%")[0]?.kind).toBe("text");
  });

  it("treats an unterminated && or {{ as text", () => {
    expect(parseTemplate("R&&D and more")).toHaveLength(1);
    expect(parseTemplate("Hi {{first_name")).toHaveLength(1);
    expect(parseTemplate("{{ first name }}")).toHaveLength(1);
    expect(parseTemplate("&&a&& &&b")).toMatchObject([
      { kind: "instruction", raw: "&&a&&" },
      { kind: "text", value: " &&b" },
    ]);
  });

  it("lets an instruction span lines and contain braces and percent signs", () => {
    const parts = parseTemplate("A\n&&line one\n20% {{x}}&&\nB");
    expect(parts[1]).toMatchObject({
      kind: "instruction",
      instruction: "line one\n20% {{x}}",
      line: 2,
      column: 1,
    });
  });

  it("reads {{{name}}} as a brace, a variable and a brace", () => {
    expect(parseTemplate("{{{name}}}").map(source)).toEqual(["{", "{{name}}", "}"]);
  });

  it("reports 1-based lines and UTF-16 columns with \\n, \\r\\n and \\r", () => {
    const parts = parseTemplate("a\r\nb\rc\n😀%x%");
    const variable = parts.find((p) => p.kind === "variable");
    expect(variable).toMatchObject({ line: 4, column: 3, start: 9 });
  });

  it("never throws and returns [] for non-strings", () => {
    expect(parseTemplate("")).toEqual([]);
    expect(parseTemplate(null as unknown as string)).toEqual([]);
    expect(parseTemplate(42 as unknown as string)).toEqual([]);
  });

  it("handles 100k-character hostile texts", () => {
    const texts = [
      "{{ ".repeat(34_000),
      "%a".repeat(50_000),
      `%${"a".repeat(100_000)}`,
      `&&${"x".repeat(100_000)}`,
      "&".repeat(100_000),
      "a.".repeat(50_000),
      "%first_name%".repeat(9_000),
      "\uD800".repeat(100_000),
    ];
    for (const text of texts) expect(stringifyParts(parseTemplate(text))).toBe(text);
  });
});

describe("parseTemplate properties", () => {
  const anyText = fc.oneof(binaryString, hostileString, fc.string({ unit: loneSurrogate }));

  it("reassembles the input exactly from value/raw of the parts", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(parseTemplate(text).map(source).join("")).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("gives contiguous, non-empty parts whose offsets and positions point at their source", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const parts = parseTemplate(text);
        let at = 0;
        let previous: TemplatePart | undefined;
        for (const part of parts) {
          expect(part.start).toBe(at);
          expect(part.end).toBeGreaterThan(part.start);
          expect(text.slice(part.start, part.end)).toBe(source(part));
          expect({ line: part.line, column: part.column }).toEqual(positionAt(text, part.start));
          if (previous?.kind === "text") expect(part.kind).not.toBe("text");
          if (part.kind === "variable") expect(isVariableName(part.name)).toBe(true);
          if (part.kind === "instruction") {
            for (const v of part.variables) {
              expect(v.start).toBeGreaterThanOrEqual(part.start + 2);
              expect(v.end).toBeLessThanOrEqual(part.end - 2);
              expect(text.slice(v.start, v.end)).toBe(v.raw);
            }
          }
          at = part.end;
          previous = part;
        }
        expect(at).toBe(text.length);
      }),
      { numRuns: 500 },
    );
  });

  it("recovers the structure of a well-formed template", () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 12 }), (segments) => {
        const text = segments.map(writeSegment).join("");
        const parsed = parseTemplate(text)
          .filter((p) => p.kind !== "text")
          .map((p) => (p.kind === "variable" ? `v:${p.name}:${p.syntax}` : `i:${p.raw}`));
        const expected = segments
          .filter((s) => s.kind !== "text")
          .map((s) => (s.kind === "variable" ? `v:${s.name}:${s.syntax}` : `i:${writeSegment(s)}`));
        expect(parsed).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
