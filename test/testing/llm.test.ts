import { describe, expect, it } from "vitest";
import { frameworkTurn } from "../../src/testing/llm";
import { stripEmDash } from "../../src/testing/llm-intent";
import { renderExample } from "../../src/testing/llm-render";

const brief = "Intro email for enterprise VPs of Sales \u2014 emphasize time-to-ROI";

describe("framework-LLM stand-in", () => {
  it("turn 1 asks clarifying questions, quoting the brief, with no skeleton", () => {
    const r = frameworkTurn({ history: [], message: brief, skeleton: null });
    expect(r.skeleton).toBeNull();
    expect(r.draft).toBeNull();
    expect(r.reply).toContain("?");
    expect(r.reply).toContain('"enterprise"');
    expect(r.reply).not.toMatch(/\u2014/);
  });

  it("turn 2 writes a rich skeleton and draft using only the allowed variables, never an em dash", () => {
    const r = frameworkTurn({
      history: [
        { role: "user", content: brief },
        { role: "assistant", content: "questions" },
      ],
      message: "Readers are sales leaders \u2014 mention SOC 2",
      skeleton: null,
      availableVarNames: ["first_name", "company"],
    });
    expect(r.skeleton).toMatchObject({
      subject: expect.any(String),
      body: expect.any(String),
      exampleSubject: expect.any(String),
      exampleBody: expect.any(String),
    });
    const blocks = (r.skeleton?.blocks ?? []) as {
      name: string;
      strategy: string;
      personalization: { fields: string[]; approach: string; fallback: string };
    }[];
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks[0]?.personalization).toMatchObject({
      fields: expect.any(Array),
      approach: expect.any(String),
      fallback: expect.any(String),
    });
    const text = `${r.draft?.subject}\n${r.draft?.body}`;
    for (const v of text.match(/%([a-z_]+)%/g) ?? [])
      expect(["%first_name%", "%company%"]).toContain(v);
    expect(text).toMatch(/&&[^&]+&&/);
    expect(r.draft?.body).toContain("SOC 2");
    expect(JSON.stringify(r)).not.toMatch(/\u2014/);
  });

  it("is deterministic and 'shorter' gives a shorter body", () => {
    const history = [
      { role: "user", content: brief },
      { role: "assistant", content: "q" },
    ];
    const a = frameworkTurn({ history, message: "Audience: CROs", skeleton: null });
    const b = frameworkTurn({ history, message: "Audience: CROs", skeleton: null });
    expect(a).toEqual(b);
    const shorter = frameworkTurn({
      history: [...history, { role: "user", content: "Audience: CROs" }],
      message: "Make it shorter",
      skeleton: a.skeleton,
    });
    expect(shorter.draft?.body.length).toBeLessThan(a.draft?.body.length ?? 0);
  });

  it("renders an example per lead: variables filled, blocks become sentences", () => {
    const ex = renderExample(
      {
        subject: "Hi %first_name%",
        body: "Hello {{first_name}} at %company%. &&open with a hook&&",
      },
      { id: "l1", first_name: "Ada", company: "Analytical" },
    );
    expect(ex).toEqual({
      lead_id: "l1",
      subject: "Hi Ada",
      body: expect.stringContaining("Hello Ada at Analytical."),
    });
    expect(ex.body).not.toMatch(/&&|%|\{\{/);
    expect(stripEmDash("a \u2014 b")).toBe("a, b");
  });
});
