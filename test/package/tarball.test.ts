/**
 * The package as users get it: `npm pack` of the built project, checked by publint and
 * arethetypeswrong, then installed from the tarball into a throwaway project (OS temp dir) and
 * used there with `import` and with `require` under the project's Node 24.
 *
 * Type-resolution policy (attw): every entry point must resolve, with types, under node16-cjs,
 * node16-esm and bundler, and attw may report no problem at all for those modes. In particular
 * "CJS resolves to ESM" is an error here, not a tolerated warning: the package ships real CommonJS
 * builds (`dist/*.cjs` with `.d.cts` types), so a `require` that lands on ESM would be a packaging
 * bug. node10 (`moduleResolution: node`, which ignores the `exports` map) must resolve too: the
 * subpaths reach it through `typesVersions` (test/package/types.test.ts typechecks a program there).
 *
 * Needs dist/ (built by `npm test` before vitest); fails with a clear message when it is missing.
 */

import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { beforeAll, describe, expect, it } from "vitest";
import { CJS_PROGRAM, type ConsumerReport, ESM_PROGRAM } from "./consumer";
import { exec, NODE, type Packed, projectVersion, ROOT, sharedPackage } from "./pack";

const ENTRY_POINTS = [
  ".",
  "./realtime",
  "./testing",
  "./server",
  "./mcp",
  "./campaign",
  "./react",
  "./template",
  "./types",
  "./openapi",
  "./otel",
  "./pg-boss",
  "./trigger",
] as const;
const RESOLUTION_KINDS = ["node10", "node16-cjs", "node16-esm", "bundler"] as const;

let packed: Packed | undefined;
let consumer = "";

function packedOrThrow(): Packed {
  if (!packed) throw new Error("the package was not packed (see the beforeAll error)");
  return packed;
}

beforeAll(async () => {
  // Packed and installed once per run, shared with the other package and runtime tests.
  ({ packed, consumer } = await sharedPackage());
}, 300_000);

describe("the packed tarball", () => {
  it("holds only what users need: dist, README, LICENSE, package.json, openapi.yaml, the guides", () => {
    const { files } = packedOrThrow();
    const stray = files.filter(
      (f) =>
        !(
          f.startsWith("dist/") ||
          f === "package.json" ||
          f === "openapi.yaml" ||
          /^docs\/guides\/[\w-]+\.md$/.test(f) ||
          /^README(\.md)?$/i.test(f) ||
          /^LICEN[CS]E(\.md|\.txt)?$/i.test(f)
        ),
    );
    expect(stray).toEqual([]);
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(src|test|bench|scripts|node_modules)\//.test(f))).toEqual(
      [],
    );
    for (const required of ["package.json", "openapi.yaml", "README.md", "LICENSE"]) {
      expect(files, `${required} must be in the tarball`).toContain(required);
    }
    for (const entry of ENTRY_POINTS.map((e) => (e === "." ? "index" : e.slice(2)))) {
      for (const ext of [".js", ".cjs", ".d.ts", ".d.cts"]) {
        expect(files).toContain(`dist/${entry}${ext}`);
      }
    }
  });

  it("ships the types-only entries (puffle-chat/types, puffle-chat/openapi) with no code", async () => {
    for (const entry of ["types", "openapi"]) {
      for (const ext of [".js", ".cjs"]) {
        const code = await readFile(
          join(consumer, `node_modules/puffle-chat/dist/${entry}${ext}`),
          "utf8",
        );
        expect(code.replace(/["']use strict["'];?/, "").trim(), `dist/${entry}${ext}`).toBe("");
      }
    }
  });

  it("ships the CLI named in package.json bin (dist/cli.js, with a node shebang)", async () => {
    const { files } = packedOrThrow();
    const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    expect(pkg.bin["puffle-chat"]).toBe("dist/cli.js");
    expect(
      files,
      "dist/cli.js is missing from the tarball: is src/cli built by tsup (npx tsup)?",
    ).toContain("dist/cli.js");
    const head = (await readFile(join(consumer, "node_modules/puffle-chat/dist/cli.js"), "utf8"))
      .split("\n", 1)
      .at(0);
    expect(head).toMatch(/^#!\/usr\/bin\/env node/);
  });

  it("passes publint (strict) with no error, warning or suggestion", async () => {
    const { tarball } = packedOrThrow();
    const bytes = await readFile(tarball);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const { messages, pkg } = await publint({ pack: { tarball: buffer }, strict: true });
    const readable = messages.map((m) => `${m.type}: ${formatMessage(m, pkg) ?? m.code}`);
    expect(readable).toEqual([]);
  });

  it("resolves every entry point with types for node10, node16 (CJS and ESM) and bundlers (attw)", async () => {
    const { tarball } = packedOrThrow();
    // attw exits 1 when it finds any problem; read its JSON to say which.
    const { stdout } = await exec(
      NODE,
      [join(ROOT, "node_modules/.bin/attw"), tarball, "--format", "json"],
      { cwd: ROOT },
    ).catch((error: Error) => {
      const text = error.message;
      const start = text.indexOf("--- stdout\n") + "--- stdout\n".length;
      return { stdout: text.slice(start, text.indexOf("\n--- stderr")) };
    });
    const report = JSON.parse(stdout) as {
      problems: Record<string, { kind: string; entrypoint?: string; resolutionKind?: string }[]>;
      analysis: {
        entrypoints: Record<
          string,
          {
            resolutions: Record<
              string,
              { resolution?: { fileName: string; isTypeScript: boolean } }
            >;
          }
        >;
      };
    };
    const problems = Object.values(report.problems).flat();
    expect(problems).toEqual([]);
    for (const entry of ENTRY_POINTS) {
      const resolutions = report.analysis.entrypoints[entry]?.resolutions;
      expect(resolutions, `attw analysed ${entry}`).toBeDefined();
      for (const kind of RESOLUTION_KINDS) {
        const file = resolutions?.[kind]?.resolution?.fileName ?? "(unresolved)";
        expect(file, `${entry} under ${kind}`).toMatch(
          kind === "node16-cjs" ? /\/dist\/[\w-]+\.d\.cts$/ : /\/dist\/[\w-]+\.d\.ts$/,
        );
      }
    }
  });
});

describe("the installed package in a fresh project", () => {
  async function runProgram(name: string, program: string): Promise<ConsumerReport> {
    await writeFile(join(consumer, name), program);
    const { stdout } = await exec(NODE, [name], { cwd: consumer, timeoutMs: 60_000 });
    const line = stdout.trim().split("\n").at(-1) ?? "";
    return JSON.parse(line) as ConsumerReport;
  }

  function expectWorking(report: ConsumerReport, version: string) {
    expect(report.version).toBe(version);
    expect(report.mainExports).toEqual(
      expect.arrayContaining(["PuffleClient", "NotFoundError", "PuffleError", "VERSION"]),
    );
    expect(report.realtimeExports).toEqual(
      expect.arrayContaining(["subscribeToChat", "subscribeToRun", "RealtimeError"]),
    );
    expect(report.realtimeExports).not.toContain("PuffleClient");
    // The draft tools are their own entry; the root has neither them nor the OpenAPI types.
    expect(report.templateExports).toEqual(
      expect.arrayContaining(["lintDraft", "renderDraft", "listVariables", "parseTemplate"]),
    );
    expect(report.mainExports).not.toContain("lintDraft");
    expect(report.templateLint).toEqual({ ok: false, codes: ["unknown-variable"] });
    expect(report.testingExports).toEqual(expect.arrayContaining(["createEmulator", "Emulator"]));
    expect(report.session.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(report.session.same).toBe(true);
    expect(report.session.task_status).toBeNull();
    expect(report.chat).toEqual({
      mode: "realtime",
      fallbackReason: null,
      idle: true,
      hasReply: true,
      turnsInLedger: 1,
    });
    expect(report.realtime.types).toEqual(expect.arrayContaining(["delta", "completed"]));
    expect(report.realtime.last).toBe("completed");
    expect(report.notFound).toEqual({
      name: "NotFoundError",
      isNotFound: true,
      guard: true,
      isPuffleError: true,
    });
  }

  it("works with import (.mjs): client over real HTTP against the packaged emulator, realtime", async () => {
    expectWorking(await runProgram("check.mjs", ESM_PROGRAM), await projectVersion());
  });

  it("works with require (.cjs): client over real HTTP against the packaged emulator, realtime", async () => {
    expectWorking(await runProgram("check.cjs", CJS_PROGRAM), await projectVersion());
  });

  it("runs the bin: npx puffle-chat --help", async () => {
    const bin = join(consumer, "node_modules/.bin/puffle-chat");
    expect(existsSync(bin), "npm linked no puffle-chat bin (dist/cli.js missing?)").toBe(true);
    const { stdout } = await exec("npx", ["--no-install", "puffle-chat", "--help"], {
      cwd: consumer,
      timeoutMs: 30_000,
    });
    expect(stdout).toMatch(/puffle-chat/);
    expect(stdout).toMatch(/Usage|usage/);
  });
});

describe("browser bundles of the installed package (esbuild, minified)", () => {
  /** Bundle `import * as m from spec` as a browser app in the consumer project would. */
  async function bundle(spec: string, splitting: boolean) {
    const result = await build({
      stdin: {
        contents: `export * from ${JSON.stringify(spec)};`,
        resolveDir: consumer,
        loader: "js",
      },
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      splitting,
      outdir: join(packedOrThrow().dir, "bundle"),
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    const files = result.outputFiles.map((f) => ({
      name: f.path.split("/").at(-1) ?? f.path,
      text: f.text,
      gzip: gzipSync(f.contents, { level: 9 }).byteLength,
      bytes: f.contents.byteLength,
    }));
    return { inputs, files, metafile: result.metafile };
  }

  function packageInputs(inputs: string[]): string[] {
    return inputs.filter((p) => !p.startsWith("node_modules/puffle-chat/") && p !== "<stdin>");
  }

  function expectBrowserSafe(inputs: string[], code: string) {
    expect(inputs.filter((p) => p.startsWith("node:") || p.includes("(disabled)"))).toEqual([]);
    expect(inputs.filter((p) => p.includes("@trigger.dev/"))).toEqual([]);
    expect(code).not.toMatch(/from\s*["']node:|require\(["']node:/);
    // The emulator (puffle-chat/testing) and the CLI never ride along with a browser entry.
    expect(inputs.filter((p) => /dist\/(testing|cli)\.js$/.test(p))).toEqual([]);
    expect(code).not.toContain("puffle-emulator/");
  }

  function kb(bytes: number): string {
    return `${(bytes / 1024).toFixed(1)} KB`;
  }

  it("puffle-chat (main entry) bundles for the browser without Node built-ins or @trigger.dev", async () => {
    const all = await bundle("puffle-chat", false);
    const code = all.files.map((f) => f.text).join("\n");
    expectBrowserSafe(all.inputs, code);
    expect(packageInputs(all.inputs).some((p) => p.includes("node_modules/ky/"))).toBe(true);
    // The official transport stays an optional dynamic import: never bundled.
    expect(code).toContain("@trigger.dev/core/v3");

    const split = await bundle("puffle-chat", true);
    expectBrowserSafe(split.inputs, split.files.map((f) => f.text).join("\n"));
    const initial = split.files.find((f) => f.name.startsWith("stdin"));
    expect(initial, "esbuild names the entry chunk after stdin").toBeDefined();
    const total = all.files[0];
    console.info(
      `puffle-chat (main) browser bundle from the tarball: all-in-one ${kb(total?.bytes ?? 0)} min, ${kb(total?.gzip ?? 0)} gzip; ` +
        `with splitting, initial chunk ${kb(initial?.gzip ?? 0)} gzip + ${split.files.length - 1} lazy/shared chunk(s)`,
    );
  });

  it("puffle-chat/realtime from the tarball pulls in no @trigger.dev, ky, zod or client code", async () => {
    const { inputs, files, metafile } = await bundle("puffle-chat/realtime", false);
    const code = files.map((f) => f.text).join("\n");
    expectBrowserSafe(inputs, code);
    const deps = packageInputs(inputs);
    expect(deps.filter((p) => /node_modules\/(ky|zod)\//.test(p))).toEqual([]);
    expect(deps.some((p) => p.includes("node_modules/@electric-sql/client/"))).toBe(true);
    // Client code lives in dist chunks shared with the main entry: none of it may be reachable.
    const ownFiles = inputs.filter((p) => p.startsWith("node_modules/puffle-chat/"));
    const reachable = (metafile as Metafile).inputs;
    for (const file of ownFiles) {
      const imports = reachable[file]?.imports.map((i) => i.path) ?? [];
      expect(imports.filter((p) => /dist\/index\.js$/.test(p))).toEqual([]);
    }
    expect(code).not.toContain("/api/campaigns/ai-chat-sessions");
    expect(code).not.toContain("PuffleClient is running in a browser");
    expect(code).not.toContain("PUFFLE_API_KEY");
    const out = files[0];
    console.info(
      `puffle-chat/realtime browser bundle from the tarball: ${kb(out?.bytes ?? 0)} min, ${kb(out?.gzip ?? 0)} gzip`,
    );
  });
});
