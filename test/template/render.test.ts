import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  parseTemplate,
  type RenderOptions,
  renderDraft,
  type TemplateLead,
} from "../../src/template";
import { hostileString, loneSurrogate, segment, variableName, writeSegment } from "./arbitraries";

const lead: TemplateLead = {
  first_name: "Ada",
  last_name: "Lovelace",
  company: "Acme",
  custom_fields: { industry: "Fintech" },
};

describe("renderDraft", () => {
  it("fills variables from the lead in subject and body", () => {
    const out = renderDraft(
      {
        subject: "Idea for %company%",
        body: "Hi {{ firstName }}, %full_name% in %custom_fields.industry% / %industry%",
      },
      lead,
    );
    expect(out).toEqual({
      subject: "Idea for Acme",
      body: "Hi Ada, Ada Lovelace in Fintech / Fintech",
      missing: [],
      instructions: [],
    });
  });

  it("reports missing variables and leaves the marker by default", () => {
    const body = "Hi %first_name%, about %revenue%";
    const out = renderDraft({ subject: null, body }, lead);
    expect(out.subject).toBeNull();
    expect(out.body).toBe("Hi Ada, about %revenue%");
    expect(out.missing).toEqual([
      {
        name: "revenue",
        field: "body",
        syntax: "percent",
        raw: "%revenue%",
        start: 23,
        end: 32,
        line: 1,
        column: 24,
        fallback: null,
      },
    ]);
  });

  it("uses a string, record or function fallback and reports what it wrote", () => {
    const draft = { body: "%revenue% %city% {{ size }}" };
    expect(renderDraft(draft, {}, { fallback: "?" }).body).toBe("? ? ?");
    const byRecord = renderDraft(draft, {}, { fallback: { revenue: "R", City: "C" } });
    expect(byRecord.body).toBe("R C {{ size }}");
    expect(byRecord.missing.map((m) => m.fallback)).toEqual(["R", "C", null]);
    const seen: string[] = [];
    const byFunction = renderDraft(
      draft,
      {},
      {
        fallback: (name, ctx) => {
          seen.push(`${name}:${ctx.syntax}:${ctx.field}`);
          return name === "size" ? "big" : undefined;
        },
      },
    );
    expect(byFunction.body).toBe("%revenue% %city% big");
    expect(seen).toEqual(["revenue:percent:body", "city:percent:body", "size:braces:body"]);
    expect(byFunction.missing).toHaveLength(3);
  });

  it("keeps instruction blocks by default and reports them", () => {
    const body = "Hi %first_name%, &&compliment %company%&&";
    const out = renderDraft({ body }, lead);
    expect(out.body).toBe("Hi Ada, &&compliment %company%&&");
    expect(out.instructions).toEqual([
      {
        instruction: "compliment %company%",
        raw: "&&compliment %company%&&",
        field: "body",
        start: 17,
        end: 41,
        line: 1,
        column: 18,
        action: "kept",
        replacement: null,
      },
    ]);
    expect(out.missing).toEqual([]);
  });

  it("removes instruction blocks and tidies the whitespace they leave", () => {
    const remove: RenderOptions = { instructions: "remove" };
    const cases: [string, string][] = [
      ["Hi Ada. &&compliment&& Thanks", "Hi Ada. Thanks"],
      ["Hi &&x&&.", "Hi."],
      ["Hi,\n&&alone on a line&&\nBest", "Hi,\nBest"],
      ["Hi,\r\n  &&alone&&  \r\nBest", "Hi,\r\nBest"],
      ["Best\n&&last line&&", "Best"],
      ["Thanks &&x&&\nBye", "Thanks\nBye"],
      ["&&x&& Hello", "Hello"],
      ["&&only&&", ""],
      ["a&&x&&b", "ab"],
      ["&&a&&\n&&b&&\nc", "c"],
    ];
    for (const [body, expected] of cases)
      expect(renderDraft({ body }, lead, remove).body, body).toBe(expected);
    expect(renderDraft({ body: "&&x&&" }, lead, remove).instructions[0]).toMatchObject({
      action: "removed",
    });
  });

  it("replaces instruction blocks with what a function returns", () => {
    const out = renderDraft({ body: "Hi. &&compliment %company%&& Bye &&drop&&" }, lead, {
      instructions: (instruction, l, ctx) =>
        instruction === "drop" ? "" : `[${instruction} for ${l?.first_name} at ${ctx.start}]`,
    });
    expect(out.body).toBe("Hi. [compliment %company% for Ada at 4] Bye");
    expect(out.instructions.map((i) => [i.action, i.replacement])).toEqual([
      ["replaced", "[compliment %company% for Ada at 4]"],
      ["removed", null],
    ]);
  });

  it("inserts values as they are, without parsing them again", () => {
    const out = renderDraft({ body: "%first_name%" }, { first_name: "%company% &&x&&" });
    expect(out.body).toBe("%company% &&x&&");
    expect(out.missing).toEqual([]);
    expect(out.instructions).toEqual([]);
  });

  it("lets errors thrown by callbacks propagate", () => {
    expect(() =>
      renderDraft(
        { body: "%x%" },
        {},
        {
          fallback: () => {
            throw new Error("boom");
          },
        },
      ),
    ).toThrow("boom");
  });

  it("never throws on hostile drafts, leads and options", () => {
    const big = [
      "{{ ".repeat(34_000),
      `%${"a".repeat(100_000)}`,
      "&&".repeat(50_001),
      "%first_name%".repeat(9_000),
      "20% off ".repeat(12_500),
      "\uDC00\uD800".repeat(50_000),
    ];
    for (const body of big) {
      const out = renderDraft({ subject: body, body }, lead, {
        instructions: "remove",
        fallback: "x",
      });
      expect(typeof out.body).toBe("string");
    }
    expect(renderDraft(null as unknown as object, lead)).toEqual({
      subject: null,
      body: null,
      missing: [],
      instructions: [],
    });
    expect(renderDraft({ body: 3 as unknown as string }, lead).body).toBeNull();
    expect(renderDraft({ body: "%a%" }, "lead" as unknown as TemplateLead).missing).toHaveLength(1);
    expect(renderDraft({ body: "%a%" }, lead, null as unknown as RenderOptions).body).toBe("%a%");
  });
});

describe("renderDraft properties", () => {
  const anyText = fc.oneof(hostileString, fc.string({ unit: loneSurrogate }));
  const options: fc.Arbitrary<RenderOptions> = fc.record(
    {
      fallback: fc.oneof(
        fc.string(),
        fc.dictionary(fc.string(), fc.string()),
        fc.constant((n: string) => (n.length % 2 ? n : undefined)),
      ),
      instructions: fc.oneof(
        fc.constantFrom("keep" as const, "remove" as const),
        fc.constant((i: string) => i.slice(0, 3)),
      ),
    },
    { requiredKeys: [] },
  );

  it("never throws, whatever the draft, lead and options", () => {
    fc.assert(
      fc.property(
        fc.record({ subject: fc.option(anyText), body: fc.option(anyText) }, { requiredKeys: [] }),
        fc.oneof(fc.anything(), fc.constant(lead)) as fc.Arbitrary<TemplateLead>,
        options,
        (draft, anyLead, opts) => {
          const out = renderDraft(draft, anyLead, opts);
          for (const m of out.missing) {
            const text = (m.field === "subject" ? draft.subject : draft.body) ?? "";
            expect(text.slice(m.start, m.end)).toBe(m.raw);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("gives back the draft unchanged when nothing can be filled and blocks are kept", () => {
    fc.assert(
      fc.property(anyText, (body) => {
        const out = renderDraft({ body }, {});
        expect(out.body).toBe(body);
        expect(out.missing.length).toBe(
          parseTemplate(body).filter((p) => p.kind === "variable").length,
        );
      }),
    );
  });

  it("fills every variable when the lead has them all, leaving no marker", () => {
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 12 }),
        fc.string({ unit: fc.constantFrom("x", "y", " ", "😀"), minLength: 1 }),
        (segments, value) => {
          const full: TemplateLead = { custom_fields: {} };
          const custom: Record<string, unknown> = {};
          for (const s of segments) {
            if (s.kind === "variable") custom[s.name.replace(/^custom_fields\./, "")] = `${value}.`;
          }
          full.custom_fields = custom;
          const out = renderDraft({ body: segments.map(writeSegment).join("") }, full, {
            instructions: () => "[block]",
          });
          const expected = segments
            .map((s) =>
              s.kind === "text" ? s.value : s.kind === "instruction" ? "[block]" : `${value}.`,
            )
            .join("");
          expect(out.missing).toEqual([]);
          expect(out.body).toBe(expected);
          expect(out.body).not.toMatch(/[%{}&]/);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("fills variables of every spelling from the lead's own fields", () => {
    fc.assert(
      fc.property(fc.array(variableName, { maxLength: 8 }), (names) => {
        const own: TemplateLead = {};
        for (const name of names) if (!name.includes(".")) own[name] = "v";
        const body = names
          .filter((n) => !n.includes("."))
          .map((n) => `%${n}% {{ ${n} }}`)
          .join(" ");
        const out = renderDraft({ body }, own);
        expect(out.missing).toEqual([]);
        expect(parseTemplate(out.body ?? "").some((p) => p.kind === "variable")).toBe(false);
      }),
    );
  });
});
