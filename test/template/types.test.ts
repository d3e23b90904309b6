import { describe, expect, expectTypeOf, it } from "vitest";
import type { ContentLead, Lead, Session } from "../../src/core/types";
import * as main from "../../src/index";
import {
  type LeadSource,
  renderDraft,
  type TemplateDraft,
  type TemplateLead,
} from "../../src/template";

describe("template types fit the SDK's own types", () => {
  it("accepts a Lead, a ContentLead and a session's draft fields", () => {
    expectTypeOf<Lead>().toExtend<LeadSource>();
    expectTypeOf<ContentLead>().toExtend<LeadSource>();
    expectTypeOf<TemplateLead>().toExtend<LeadSource>();
    expectTypeOf<{
      subject: Session["draft_subject"];
      body: Session["draft_body"];
    }>().toExtend<TemplateDraft>();
    const lead: Lead = { first_name: "Ada", custom_fields: { industry: "SaaS" } };
    expect(renderDraft({ body: "%first_name% / %industry%" }, lead).body).toBe("Ada / SaaS");
  });

  it("is exported from the main entry", () => {
    expect(typeof main.parseTemplate).toBe("function");
    expect(typeof main.lintDraft).toBe("function");
    expect(typeof main.renderDraft).toBe("function");
    expect(typeof main.listVariables).toBe("function");
    expect(typeof main.toPercentSyntax).toBe("function");
  });
});
