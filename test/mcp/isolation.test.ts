/**
 * `@modelcontextprotocol/*` never reaches the entries that do not need it: the static import graph
 * of the built `puffle-chat`, `/realtime`, `/react`, `/server` and `/testing` entries, and of the
 * bin (whose `mcp` command loads the SDK with `import()`, so `demo`, `emulator` and `chat` run
 * without the optional peer), holds no import of it; `puffle-chat/mcp` does.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../package/pack";

const DIST = join(ROOT, "dist");
const STATIC_IMPORT = /(?:^|\n)\s*(?:import|export)\s*(?:[^'"]*?\sfrom\s*)?['"]([^'"]+)['"]/g;

/** Every bare specifier reached through static imports from `entry` (chunks followed). */
function staticSpecifiers(entry: string): Set<string> {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(DIST, file), "utf8");
    for (const [, spec = ""] of code.matchAll(STATIC_IMPORT)) {
      if (spec.startsWith("./")) visit(spec.slice(2));
      else bare.add(spec);
    }
  };
  visit(entry);
  return bare;
}

describe("the MCP SDK stays in puffle-chat/mcp", () => {
  it("is not a static import of the other entries or the bin", () => {
    if (!existsSync(join(DIST, "mcp.js")))
      throw new Error("dist/ is not built: run `npx tsup` first");
    for (const entry of [
      "index.js",
      "realtime.js",
      "react.js",
      "server.js",
      "testing.js",
      "cli.js",
    ]) {
      const specs = [...staticSpecifiers(entry)];
      expect(
        specs.filter((s) => s.startsWith("@modelcontextprotocol/")),
        entry,
      ).toEqual([]);
    }
    expect([...staticSpecifiers("mcp.js")]).toContain("@modelcontextprotocol/server");
  });
});
