import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type LintIssue,
  lintDraft,
  listVariables,
  parseTemplate,
  positionAt,
  renderDraft,
} from "../../src/template";
import { hostileString } from "./arbitraries";

const available = { availableVarNames: ["first_name", "company", "custom_fields.industry"] };

function codes(issues: LintIssue[]): string[] {
  return issues.map((i) => `${i.field}:${i.code}:${i.severity}`);
}

function at(text: string, issue: LintIssue): string {
  return text.slice(issue.start, issue.end);
}

describe("lintDraft", () => {
  it("passes a clean draft", () => {
    expect(
      lintDraft(
        { subject: "Idea for %company%", body: "Hi %first_name%,\n20% off for %industry%." },
        available,
      ),
    ).toEqual({
      ok: true,
      issues: [],
    });
  });

  it("reports unknown variables with a suggestion, and accepts custom_fields forms", () => {
    const body = "Hi %frist_name% at %custom_fields.industry% in %industry% %size%";
    const { ok, issues } = lintDraft({ body }, available);
    expect(ok).toBe(false);
    expect(issues.map((i) => [i.code, at(body, i)])).toEqual([
      ["unknown-variable", "%frist_name%"],
      ["unknown-variable", "%size%"],
    ]);
    expect(issues[0]?.message).toContain("Did you mean %first_name%?");
    expect(issues[1]?.message).toContain("%first_name%, %company%");
  });

  it("suggests the snake_case name for a camelCase variable", () => {
    const [issue] = lintDraft({ body: "%firstName%" }, available).issues;
    expect(issue?.message).toContain("Did you mean %first_name%?");
  });

  it("does not check variables without availableVarNames", () => {
    expect(lintDraft({ body: "Hi %anything%" }).ok).toBe(true);
  });

  it("checks variables inside instruction blocks too", () => {
    const body = "&&mention %revenue%&&";
    const { issues } = lintDraft({ body }, available);
    expect(issues.map((i) => [i.code, at(body, i)])).toEqual([
      ["unfilled-instruction", body],
      ["unknown-variable", "%revenue%"],
    ]);
  });

  it("reports instruction blocks as errors by default, configurable", () => {
    const draft = { body: "Hi &&compliment&&" };
    expect(codes(lintDraft(draft).issues)).toEqual(["body:unfilled-instruction:error"]);
    expect(lintDraft(draft, { instructions: "warning" })).toMatchObject({ ok: true });
    expect(lintDraft(draft, { instructions: "off" }).issues).toEqual([]);
  });

  it("reports unbalanced markers where they are", () => {
    const body = "Hi %first_name, R&&D {{company and first_name% and 20% off, 100%, 50%off";
    const { issues } = lintDraft({ body }, available);
    expect(issues.map((i) => [i.code, i.severity, at(body, i)])).toEqual([
      ["unbalanced-marker", "error", "%first_name"],
      ["unbalanced-marker", "error", "&&"],
      ["unbalanced-marker", "error", "{{"],
      ["unbalanced-marker", "error", "first_name%"],
    ]);
    expect(issues[0]?.message).toContain("write %first_name%");
  });

  it("warns about a %word that is not a known variable", () => {
    const { ok, issues } = lintDraft({ body: "Get %OFF now" });
    expect(ok).toBe(true);
    expect(codes(issues)).toEqual(["body:unbalanced-marker:warning"]);
  });

  it("does not flag percent-encoded URLs", () => {
    expect(lintDraft({ body: "https://x.io/?q=%E2%80%94" }).issues).toEqual([]);
  });

  it("reports a {{…}} around something that is not a name", () => {
    const body = "Hi {{ first name }}!";
    const [issue] = lintDraft({ body }).issues;
    expect(issue).toMatchObject({ code: "malformed-variable", severity: "error" });
    expect(issue && at(body, issue)).toBe("{{ first name }}");
  });

  it("warns about {{name}} variables", () => {
    const body = "Hi {{ first_name }}";
    const [issue] = lintDraft({ body }, available).issues;
    expect(issue).toMatchObject({
      code: "braces-variable",
      severity: "warning",
      start: 3,
      end: 19,
    });
    expect(issue?.message).toContain("%first_name%");
  });

  it("reports em dashes as errors and en dashes as warnings, with lines and columns", () => {
    const body = "Fast\u2014cheap\n9\u20135";
    const { ok, issues } = lintDraft({ body });
    expect(ok).toBe(false);
    expect(issues).toMatchObject([
      { code: "em-dash", severity: "error", start: 4, end: 5, line: 1, column: 5 },
      { code: "en-dash", severity: "warning", start: 12, end: 13, line: 2, column: 2 },
    ]);
    expect(lintDraft({ body }, { enDash: false }).issues).toHaveLength(1);
  });

  it("reports empty fields that are present, skips missing ones", () => {
    expect(codes(lintDraft({ subject: null, body: "  \n" }).issues)).toEqual([
      "subject:empty-subject:error",
      "body:empty-body:error",
    ]);
    expect(lintDraft({ body: "Hello" }).ok).toBe(true);
    expect(lintDraft({ subject: "", body: "Hello" }, { requireSubject: false }).ok).toBe(true);
    expect(lintDraft({ subject: 5 as unknown as string, body: "x" }).issues[0]?.code).toBe(
      "empty-subject",
    );
  });

  it("orders issues subject first, then by position, and reports the field", () => {
    const { issues } = lintDraft(
      { subject: "a \u2014 %x%", body: "\u2014" },
      { availableVarNames: [] },
    );
    expect(issues.map((i) => `${i.field}:${i.code}:${i.start}`)).toEqual([
      "subject:em-dash:2",
      "subject:unknown-variable:4",
      "body:em-dash:0",
    ]);
    expect(issues[1]?.message).toContain("No variables are available");
  });

  it("never throws on hostile input, including 100k-character texts", () => {
    const big = [
      "{{ ".repeat(34_000),
      "%a ".repeat(34_000),
      `${"x".repeat(100_000)}%`,
      "first_name%".repeat(9_000),
      "&&".repeat(50_001),
      "\u2014".repeat(100_000),
      "%a".repeat(50_000),
      `%${"a".repeat(100_000)}%`,
    ];
    for (const body of big) {
      const { issues } = lintDraft({ subject: body, body }, available);
      for (const issue of issues) expect(issue.end).toBeLessThanOrEqual(body.length);
    }
    expect(lintDraft(null as unknown as object)).toEqual({ ok: true, issues: [] });
    expect(lintDraft({ body: "x" }, null as unknown as object).ok).toBe(true);
  });
});

describe("lintDraft properties", () => {
  const names = fc.constantFrom(
    undefined,
    [],
    ["first_name", "company"],
    ["custom_fields.industry"],
  );

  it("points every issue at the offending text", () => {
    fc.assert(
      fc.property(hostileString, hostileString, names, (subject, body, availableVarNames) => {
        const { ok, issues } = lintDraft({ subject, body }, { availableVarNames });
        expect(ok).toBe(!issues.some((i) => i.severity === "error"));
        for (const issue of issues) {
          const text = issue.field === "subject" ? subject : body;
          const slice = text.slice(issue.start, issue.end);
          expect(issue.start).toBeGreaterThanOrEqual(0);
          expect(issue.end).toBeLessThanOrEqual(text.length);
          expect({ line: issue.line, column: issue.column }).toEqual(positionAt(text, issue.start));
          expect(issue.message.length).toBeGreaterThan(10);
          switch (issue.code) {
            case "em-dash":
              expect(slice).toBe("\u2014");
              break;
            case "en-dash":
              expect(slice).toBe("\u2013");
              break;
            case "unknown-variable":
            case "braces-variable": {
              const parts = parseTemplate(slice);
              expect(parts).toHaveLength(1);
              expect(parts[0]?.kind).toBe("variable");
              break;
            }
            case "unfilled-instruction":
              expect(slice.startsWith("&&") && slice.endsWith("&&") && slice.length >= 4).toBe(
                true,
              );
              break;
            case "malformed-variable":
              expect(slice.startsWith("{{") && slice.endsWith("}}")).toBe(true);
              break;
            case "unbalanced-marker":
              expect(/^(&&|\{\{|%)/.test(slice) || slice.endsWith("%")).toBe(true);
              break;
            case "empty-subject":
            case "empty-body":
              expect(text.trim()).toBe("");
              break;
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("finds every em dash", () => {
    fc.assert(
      fc.property(hostileString, (body) => {
        const dashes = lintDraft({ body }).issues.filter((i) => i.code === "em-dash");
        expect(dashes).toHaveLength(body.split("\u2014").length - 1);
      }),
    );
  });
});

describe("lintDraft and renderDraft take a session", () => {
  it("lints a session's draft_subject / draft_body, as it lints { subject, body }", () => {
    const session = { id: "x", draft_subject: "Hi {{first_name}}", draft_body: "Hello — &&x&&" };
    const fromSession = lintDraft(session);
    const fromDraft = lintDraft({ subject: session.draft_subject, body: session.draft_body });
    expect(fromSession.ok).toBe(false);
    expect(fromSession).toEqual(fromDraft);
    expect(renderDraft(session, { first_name: "Ada" }).subject).toBe("Hi Ada");
    expect(listVariables(session)).toEqual(["first_name"]);
  });

  it("a session with a null draft reports the empty fields", () => {
    const codes = lintDraft({ draft_subject: null, draft_body: null }).issues.map((i) => i.code);
    expect(codes).toEqual(["empty-subject", "empty-body"]);
  });
});
