/**
 * The browser entry stays small and browser-safe: esbuild bundles src/realtime/index.ts for the
 * browser (minified) without Node built-ins, and the metafile shows no @trigger.dev/*, no ky and no
 * client or HTTP-core code.
 *
 * The rule: of the SDK's own sources, `puffle-chat/realtime` pulls in only `src/realtime/` and
 * `src/base/` (the shared, dependency-free error base: PuffleError, the error brand, redaction),
 * and `src/base/` imports nothing outside itself.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const GZIP_BUDGET_BYTES = 20 * 1024;

describe("puffle-chat/realtime browser bundle", () => {
  it("bundles for the browser without Node built-ins, trigger.dev, ky or client code, within 20 KB gzip", async () => {
    const result = await build({
      entryPoints: ["src/realtime/index.ts"],
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((p) => p.includes("@trigger.dev/"))).toEqual([]);
    expect(inputs.filter((p) => /node_modules\/ky\//.test(p))).toEqual([]);
    expect(inputs.filter((p) => /(^|\/)src\/core\/http/.test(p))).toEqual([]);
    expect(inputs.filter((p) => /(^|\/)src\/client/.test(p))).toEqual([]);
    expect(inputs.filter((p) => /(^|\/)src\/(core|wait|testing|cli|template)\//.test(p))).toEqual(
      [],
    );
    expect(inputs).not.toContain("src/realtime/trigger-sdk.ts");
    expect(
      inputs.filter((p) => p.startsWith("src/") && !/^src\/(realtime|base)\//.test(p)),
    ).toEqual([]);
    expect(inputs.filter((p) => p.startsWith("node:") || p.includes("(disabled)"))).toEqual([]);
    expect(inputs.some((p) => p.includes("@electric-sql/client"))).toBe(true);
    // One SSE parser only: Electric's own (it cannot be dropped); ours is src/realtime/sse.ts.
    expect(inputs.filter((p) => p.includes("eventsource-parser"))).toEqual([]);

    const output = result.outputFiles[0];
    if (!output) throw new Error("esbuild produced no output");
    const code = output.text;
    expect(code).not.toMatch(/from\s*["']node:|require\(["']node:/);
    expect(code).not.toMatch(/process\.env/);
    const gzipBytes = gzipSync(output.contents, { level: 9 }).byteLength;
    console.info(
      `puffle-chat/realtime browser bundle: ${(output.contents.byteLength / 1024).toFixed(1)} KB minified, ${(gzipBytes / 1024).toFixed(1)} KB gzip`,
    );
    expect(gzipBytes).toBeLessThanOrEqual(GZIP_BUDGET_BYTES);
  });
});

describe("puffle-chat/react browser bundle", () => {
  it("a page using usePuffleChat bundles without React (external), core, client or Node built-ins, within 20 KB gzip", async () => {
    const result = await build({
      stdin: {
        contents: `import { usePuffleChat } from "./src/react/index"; globalThis.usePuffleChat = usePuffleChat;`,
        resolveDir: process.cwd(),
        loader: "ts",
      },
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      write: false,
      metafile: true,
      external: ["react", "react-dom", "react/jsx-runtime"],
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(
      inputs.filter((p) => /(^|\/)src\/(core|wait|testing|cli|template|server)\//.test(p)),
    ).toEqual([]);
    expect(inputs.filter((p) => /(^|\/)src\/client/.test(p))).toEqual([]);
    expect(inputs.filter((p) => /node_modules\/(react|react-dom|ky|zod)\//.test(p))).toEqual([]);
    expect(inputs.filter((p) => p.startsWith("node:"))).toEqual([]);
    const output = result.outputFiles[0];
    if (!output) throw new Error("esbuild produced no output");
    expect(output.text).toMatch(/from\s*"react"/);
    const gzipBytes = gzipSync(output.contents, { level: 9 }).byteLength;
    console.info(
      `page using usePuffleChat: ${(gzipBytes / 1024).toFixed(1)} KB gzip (react external)`,
    );
    expect(gzipBytes).toBeLessThanOrEqual(GZIP_BUDGET_BYTES);
  });
});

describe("src/base (shared by every entry)", () => {
  it("imports nothing outside itself: no package, no other src/ directory", () => {
    const dir = "src/base";
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), "utf8");
      // Import and export statements only (the TSDoc examples mention "puffle-chat").
      const specifiers = [
        ...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+["']([^"']+)["']/gm),
        ...text.matchAll(/\bimport\(\s*["']([^"']+)["']/g),
      ].map((m) => m[1]);
      expect(
        specifiers.filter((s) => !s?.startsWith("./")),
        file,
      ).toEqual([]);
    }
  });
});
