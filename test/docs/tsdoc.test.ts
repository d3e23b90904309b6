// Every public export of the library entries has TSDoc with an @example.
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ENTRIES = [
  "src/index.ts",
  "src/realtime/index.ts",
  "src/testing/index.ts",
  "src/server/index.ts",
  "src/react/index.ts",
  "src/template/index.ts",
  "src/openapi/index.ts",
  "src/types/index.ts",
];

function missingExamples(): Record<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    "tsconfig.build.json",
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (!config) throw new Error("tsconfig.build.json did not parse");
  const program = ts.createProgram(ENTRIES, config.options);
  const checker = program.getTypeChecker();
  const out: Record<string, string[]> = {};
  for (const entry of ENTRIES) {
    const source = program.getSourceFile(entry);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`no module symbol for ${entry}`);
    const missing: string[] = [];
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = symbol.getDeclarations() ?? [];
      // Generated OpenAPI types document themselves with @description.
      if (declarations.some((d) => d.getSourceFile().fileName.includes("/generated/"))) continue;
      const hasExample =
        declarations.some((d) =>
          ts.getJSDocTags(d).some((tag) => tag.tagName.text === "example"),
        ) || symbol.getJsDocTags(checker).some((tag) => tag.name === "example");
      if (!hasExample) missing.push(exported.getName());
    }
    out[entry] = missing.sort();
  }
  return out;
}

describe("TSDoc", () => {
  it("every public export has an @example", () => {
    const missing = missingExamples();
    expect(missing).toEqual(Object.fromEntries(ENTRIES.map((e) => [e, []])));
  }, 60_000);
});
