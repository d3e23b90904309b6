import { describe, expect, it } from "vitest";
import {
  canonicalVariableName,
  resolveLeadVariable,
  standardLeadField,
  type TemplateLead,
} from "../../src/template";

const lead = {
  first_name: "Ada",
  last_name: "Lovelace",
  company: "Acme",
  position: "CTO",
  email: "ada@acme.test",
  linkedin_url: "https://linkedin.com/in/ada",
  custom_fields: {
    industry: "Fintech",
    "Team Size": 42,
    address: { city: "London" },
    "a.b": "dotted",
    empty: "  ",
  },
};

describe("resolveLeadVariable", () => {
  it("reads snake_case fields, camelCase and other-case spellings", () => {
    expect(resolveLeadVariable(lead, "first_name")).toBe("Ada");
    expect(resolveLeadVariable(lead, "firstName")).toBe("Ada");
    expect(resolveLeadVariable(lead, "FIRST_NAME")).toBe("Ada");
    expect(resolveLeadVariable(lead, "linkedinUrl")).toBe("https://linkedin.com/in/ada");
    expect(resolveLeadVariable(lead, "linkedInUrl")).toBe("https://linkedin.com/in/ada");
    expect(resolveLeadVariable(lead, "email")).toBe("ada@acme.test");
  });

  it("reads a few synonyms of standard fields", () => {
    expect(resolveLeadVariable(lead, "title")).toBe("CTO");
    expect(resolveLeadVariable(lead, "company_name")).toBe("Acme");
    expect(resolveLeadVariable(lead, "name")).toBe("Ada Lovelace");
  });

  it("derives full_name from first and last name only when absent", () => {
    expect(resolveLeadVariable(lead, "full_name")).toBe("Ada Lovelace");
    expect(resolveLeadVariable({ first_name: "Ada" }, "fullName")).toBe("Ada");
    expect(resolveLeadVariable({ full_name: "A. L.", first_name: "Ada" }, "full_name")).toBe(
      "A. L.",
    );
    expect(resolveLeadVariable({}, "full_name")).toBeUndefined();
  });

  it("reads custom fields by bare key, prefixed key, nested path and loose key", () => {
    expect(resolveLeadVariable(lead, "industry")).toBe("Fintech");
    expect(resolveLeadVariable(lead, "custom_fields.industry")).toBe("Fintech");
    expect(resolveLeadVariable(lead, "custom_fields.address.city")).toBe("London");
    expect(resolveLeadVariable(lead, "custom_fields.a.b")).toBe("dotted");
    expect(resolveLeadVariable(lead, "teamSize")).toBeUndefined();
    expect(resolveLeadVariable({ custom_fields: { teamSize: 42 } }, "team_size")).toBe("42");
  });

  it("prefers the standard field over a custom field of the same name, unless prefixed", () => {
    const both = { company: "Top", custom_fields: { company: "Custom" } };
    expect(resolveLeadVariable(both, "company")).toBe("Top");
    expect(resolveLeadVariable(both, "custom_fields.company")).toBe("Custom");
  });

  it("counts null, blank strings, objects and NaN as missing", () => {
    expect(resolveLeadVariable({ first_name: null }, "first_name")).toBeUndefined();
    expect(resolveLeadVariable(lead, "empty")).toBeUndefined();
    expect(resolveLeadVariable(lead, "custom_fields.address")).toBeUndefined();
    expect(resolveLeadVariable({ custom_fields: { n: Number.NaN } }, "n")).toBeUndefined();
    expect(resolveLeadVariable({ custom_fields: { ok: true } }, "ok")).toBe("true");
  });

  it("never reads the prototype chain", () => {
    expect(resolveLeadVariable(lead, "constructor")).toBeUndefined();
    expect(resolveLeadVariable(lead, "__proto__")).toBeUndefined();
    expect(resolveLeadVariable(lead, "custom_fields.toString")).toBeUndefined();
    expect(resolveLeadVariable(lead, "hasOwnProperty")).toBeUndefined();
  });

  it("returns undefined for a non-object lead", () => {
    expect(resolveLeadVariable(null, "first_name")).toBeUndefined();
    expect(resolveLeadVariable("Ada" as unknown as TemplateLead, "first_name")).toBeUndefined();
  });
});

describe("canonicalVariableName and standardLeadField", () => {
  it("normalises spellings", () => {
    expect(canonicalVariableName("firstName")).toBe("first_name");
    expect(canonicalVariableName("FirstName")).toBe("first_name");
    expect(canonicalVariableName("linkedinURL")).toBe("linkedin_url");
    expect(canonicalVariableName("HTMLParser")).toBe("html_parser");
    expect(standardLeadField("JobTitle")).toBe("position");
    expect(standardLeadField("industry")).toBeUndefined();
  });
});
