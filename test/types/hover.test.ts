// Hovers name the public types instead of expanding them: what an editor shows for a variable is
// the checker's typeToString of its declared type.
import ts from "typescript";
import { describe, expect, it } from "vitest";

const FIXTURE = "test/types/fixtures/hover.ts";

function hovers(): Record<string, string> {
  const program = ts.createProgram([FIXTURE], {
    strict: true,
    exactOptionalPropertyTypes: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2023,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    types: ["node"],
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(FIXTURE);
  if (!source) throw new Error("fixture missing");
  const out: Record<string, string> = {};
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) {
      out[node.name.text] = checker.typeToString(checker.getTypeAtLocation(node.name));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe("hovers", () => {
  it("name Session, RunHandle and TaskStatus rather than expanding them", () => {
    const h = hovers();
    expect(h.session).toBe("WithRequestID<Session>");
    expect(h.sessions).toBe("Session[]");
    expect(h.run).toBe("WithRequestID<RunHandle>");
    expect(h.idle).toBe("Session");
    expect(h.status).toBe("TaskStatus | null");
    expect(h.messages).toBe("Message[] | null");
  }, 60_000);
});
