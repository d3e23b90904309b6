import { describe, expect, expectTypeOf, it } from "vitest";
import type { ContentLead, Lead, Session } from "../../src/core/types";
import * as main from "../../src/index";
import {
  type LeadSource,
  renderDraft,
  type TemplateDraft,
  type TemplateLead,
} from "../../src/template";
import * as template from "../../src/template/index";

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

  it("is the puffle-chat/template entry, not part of the root", () => {
    for (const name of [
      "parseTemplate",
      "lintDraft",
      "renderDraft",
      "listVariables",
      "toPercentSyntax",
    ]) {
      expect(typeof (template as Record<string, unknown>)[name], name).toBe("function");
      expect(name in main, name).toBe(false);
    }
  });
});
