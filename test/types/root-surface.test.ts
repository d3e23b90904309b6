// The root entry stays readable: at most 70 exported names (issue 16), counted in its API report
// (etc/index.api.md, which npm test keeps equal to the built declarations).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const MAX_ROOT_NAMES = 70;

function exportedNames(report: string): string[] {
  return [
    ...report.matchAll(
      /^export (?:declare )?(?:abstract )?(?:class|const|function|interface|type|enum|namespace) (\w+)/gm,
    ),
  ].map((m) => m[1] ?? "");
}

describe("the root surface", () => {
  it(`puffle-chat exports at most ${MAX_ROOT_NAMES} names`, () => {
    const names = exportedNames(readFileSync("etc/index.api.md", "utf8"));
    expect(names).toContain("PuffleClient");
    expect(new Set(names).size, names.join(", ")).toBeLessThanOrEqual(MAX_ROOT_NAMES);
  });

  it("the template tools and the generated OpenAPI types live in their own entries", () => {
    const root = new Set(exportedNames(readFileSync("etc/index.api.md", "utf8")));
    for (const name of ["lintDraft", "renderDraft", "components", "paths", "operations"])
      expect(root.has(name), name).toBe(false);
    expect(exportedNames(readFileSync("etc/template.api.md", "utf8"))).toContain("lintDraft");
    expect(exportedNames(readFileSync("etc/openapi.api.md", "utf8"))).toEqual(
      expect.arrayContaining(["components", "paths", "operations"]),
    );
  });
});
