// Every public export of the library entries has TSDoc; the functions and classes users call also
// have an @example. Type aliases, interfaces and constants need a description, not a ritual example.
import ts from "typescript";
import { describe, expect, it } from "vitest";

/** The entries the reference documents: the same list typedoc builds. */
const ENTRIES: string[] = (
  (await import("../../typedoc.config.mjs" as string)) as { default: { entryPoints: string[] } }
).default.entryPoints;

interface Gaps {
  undocumented: string[];
  withoutExample: string[];
}

const CALLABLE = ts.SymbolFlags.Function | ts.SymbolFlags.Class;

function program(): ts.Program {
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
  return ts.createProgram(ENTRIES, config.options);
}

function gaps(): Record<string, Gaps> {
  const prog = program();
  const checker = prog.getTypeChecker();
  const out: Record<string, Gaps> = {};
  for (const entry of ENTRIES) {
    const source = prog.getSourceFile(entry);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`no module symbol for ${entry}`);
    const found: Gaps = { undocumented: [], withoutExample: [] };
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = symbol.getDeclarations() ?? [];
      // Generated OpenAPI types document themselves with @description.
      if (declarations.some((d) => d.getSourceFile().fileName.includes("/generated/"))) continue;
      const documented = declarations.some((d) => ts.getJSDocCommentsAndTags(d).length > 0);
      if (!documented) found.undocumented.push(exported.getName());
      const hasExample =
        declarations.some((d) =>
          ts.getJSDocTags(d).some((tag) => tag.tagName.text === "example"),
        ) || symbol.getJsDocTags(checker).some((tag) => tag.name === "example");
      if (symbol.flags & CALLABLE && !hasExample) found.withoutExample.push(exported.getName());
    }
    found.undocumented.sort();
    found.withoutExample.sort();
    out[entry] = found;
  }
  return out;
}

describe("TSDoc", () => {
  it("every public export is documented, and every function and class has an @example", () => {
    const none: Gaps = { undocumented: [], withoutExample: [] };
    expect(gaps()).toEqual(Object.fromEntries(ENTRIES.map((e) => [e, none])));
  }, 60_000);
});
