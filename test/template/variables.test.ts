import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  listVariables,
  parseTemplate,
  positionAt,
  replaceDashes,
  toPercentSyntax,
  type VariablePart,
} from "../../src/template";
import { hostileString, variableName } from "./arbitraries";

function allVariables(text: string): VariablePart[] {
  return parseTemplate(text).flatMap((p) =>
    p.kind === "variable" ? [p] : p.kind === "instruction" ? p.variables : [],
  );
}

describe("listVariables", () => {
  it("lists unique names in order of first use, subject before body, inside blocks too", () => {
    expect(
      listVariables({
        subject: "%company% for %first_name%",
        body: "Hi {{first_name}}, &&about %industry%&& %company%",
      }),
    ).toEqual(["company", "first_name", "industry"]);
  });

  it("accepts a plain string and ignores null fields and non-objects", () => {
    expect(listVariables("%a% %b% %a%")).toEqual(["a", "b"]);
    expect(listVariables({ subject: null })).toEqual([]);
    expect(listVariables(null)).toEqual([]);
    expect(listVariables("20% off, 100%")).toEqual([]);
  });

  it("matches the variables a naive walk of the parts finds", () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        const names: string[] = [];
        for (const part of parseTemplate(text)) {
          const vars =
            part.kind === "variable" ? [part] : part.kind === "instruction" ? part.variables : [];
          for (const v of vars) if (!names.includes(v.name)) names.push(v.name);
        }
        expect(listVariables(text)).toEqual(names);
      }),
    );
  });
});

describe("toPercentSyntax", () => {
  it("rewrites braces variables and nothing else", () => {
    expect(toPercentSyntax("Hi {{ first_name }}, 20% off {{bad name}} &&ask {{company}}&&")).toBe(
      "Hi %first_name%, 20% off {{bad name}} &&ask %company%&&",
    );
  });

  it("leaves a braces variable whose rewrite would merge with the text before it", () => {
    expect(toPercentSyntax("%é{{ company }} {{company}}")).toBe("%é{{ company }} %company%");
  });

  it("keeps the same variables in the same order, and is idempotent", () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        const once = toPercentSyntax(text);
        expect(toPercentSyntax(once)).toBe(once);
        expect(allVariables(once).map((v) => v.name)).toEqual(
          allVariables(text).map((v) => v.name),
        );
        const braces = (t: string) => allVariables(t).filter((v) => v.syntax === "braces").length;
        expect(braces(once)).toBeLessThanOrEqual(braces(text));
      }),
      { numRuns: 500 },
    );
  });

  it("converts every braces variable surrounded by spaces", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(variableName, fc.constantFrom("20%", "&&", "%", "{{", "text")), {
          maxLength: 10,
        }),
        (words) => {
          const text = words
            .map((w) =>
              w.includes("%") || w.includes("&") || w.includes("{") || w === "text"
                ? w
                : `{{ ${w} }}`,
            )
            .join(" ");
          const out = toPercentSyntax(text);
          expect(
            parseTemplate(out).some((p) => p.kind === "variable" && p.syntax === "braces"),
          ).toBe(false);
          expect(listVariables(out)).toEqual(listVariables(text));
        },
      ),
    );
  });
});

describe("replaceDashes", () => {
  it("replaces em dashes with a spaced hyphen, keeping en dashes by default", () => {
    expect(replaceDashes("Fast—and cheap")).toBe("Fast - and cheap");
    expect(replaceDashes("Fast — and cheap")).toBe("Fast - and cheap");
    expect(replaceDashes("9–5")).toBe("9–5");
    expect(replaceDashes("9–5", { enDash: true, replacement: "to" })).toBe("9 to 5");
    expect(replaceDashes("— start\nend —")).toBe("- start\nend -");
  });

  it("leaves no em dash", () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        expect(replaceDashes(text)).not.toContain("\u2014");
      }),
    );
  });
});

describe("positionAt", () => {
  it("maps offsets to 1-based lines and UTF-16 columns, clamping out-of-range offsets", () => {
    expect(positionAt("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
    expect(positionAt("a\r\nb", 3)).toEqual({ line: 2, column: 1 });
    expect(positionAt("a\rb", 2)).toEqual({ line: 2, column: 1 });
    expect(positionAt("😀x", 2)).toEqual({ line: 1, column: 3 });
    expect(positionAt("abc", -5)).toEqual({ line: 1, column: 1 });
    expect(positionAt("abc", 99)).toEqual({ line: 1, column: 4 });
    expect(positionAt("abc", Number.NaN)).toEqual({ line: 1, column: 1 });
  });
});
