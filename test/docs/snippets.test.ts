/**
 * Every TypeScript block of README.md and docs/ (see ./snippets.ts), checked as a user would meet
 * it: from the tarball the run packs and installs once (`sharedPackage()` of test/package/pack.ts),
 * the installed package is copied into a fresh project of this file's own; every block is
 * typechecked there in one `tsc` program (strict, NodeNext, against the packed `.d.ts`), and
 * every block not marked `fragment` is then run with the project's Node against an emulator of its
 * own (ids in `PUFFLE_*` variables, as `npx puffle-chat emulator` prints them). A block must exit
 * with code 0 by itself: a snippet that leaves a timer or socket open fails by timing out.
 */

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator } from "../../src/testing/index";
import { childEnv, NODE, ROOT, sharedPackage } from "../package/pack";
import { type Postgres, startPostgres } from "../support/postgres";
import {
  extractSnippets,
  projectSnippets,
  type Snippet,
  snippetFileName,
  snippetSource,
} from "./snippets";

const SNIPPETS = projectSnippets(ROOT);
const RUNNABLE = SNIPPETS.filter((s) => !s.fragment);
/** Optional peers and tools some guides import; linked from the project's node_modules. */
const LINKED = [
  "msw",
  "@trigger.dev/sdk",
  "react",
  "react-dom",
  "@types/react",
  "@types/react-dom",
  "@modelcontextprotocol/server",
  "@modelcontextprotocol/client",
  "ai",
  "@ai-sdk/react",
  "@opentelemetry/api",
  "@opentelemetry/sdk-trace-base",
  "@opentelemetry/context-async-hooks",
  "pg-boss",
];
/** A call with a wrong argument type: must fail to compile, or the typecheck proves nothing. */
const CANARY = `import { PuffleClient } from "puffle-chat";\nawait new PuffleClient({ apiKey: "pk_live_x" }).getSession(42);\n`;

let project = "";
let dir = "";

beforeAll(async () => {
  // The tarball the run packs and installs once (test/package/pack.ts). Its consumer project is
  // shared and must stay without the optional peers (test/package/types.test.ts), so the blocks
  // get a project of their own: a copy of the installed package (the peers it imports resolve
  // from where it lies), its installed dependencies linked, plus the peers the guides import.
  const { consumer } = await sharedPackage();
  project = await mkdtemp(join(tmpdir(), "puffle-chat-snippets-"));
  const modules = join(project, "node_modules");
  await mkdir(modules);
  await cp(join(consumer, "node_modules", "puffle-chat"), join(modules, "puffle-chat"), {
    recursive: true,
    verbatimSymlinks: true,
  });
  for (const name of await installedNames(join(consumer, "node_modules"))) {
    if (name === "puffle-chat") continue;
    await mkdir(join(modules, name, ".."), { recursive: true });
    await symlink(join(consumer, "node_modules", name), join(modules, name), "dir");
  }
  for (const name of LINKED) {
    const from = join(ROOT, "node_modules", name);
    const to = join(modules, name);
    if (!existsSync(from) || existsSync(to)) continue;
    await mkdir(join(to, ".."), { recursive: true });
    await symlink(from, to, "dir");
  }
  dir = join(project, "snippets");
  await mkdir(dir);
  await writeFile(join(dir, "package.json"), '{ "type": "module", "private": true }\n');
  for (const s of SNIPPETS) await writeFile(join(dir, snippetFileName(s)), snippetSource(s).text);
  await writeFile(join(dir, "canary.ts"), CANARY);
}, 300_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

/** Package names installed in a node_modules dir (`@scope/name` for scoped ones), not `.bin`. */
async function installedNames(modules: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(modules)) {
    if (entry.startsWith(".")) continue;
    if (!entry.startsWith("@")) {
      names.push(entry);
      continue;
    }
    for (const inner of await readdir(join(modules, entry))) names.push(`${entry}/${inner}`);
  }
  return names;
}

describe("the extractor", () => {
  it("finds ts blocks, their Markdown line, fragments and their declared inputs", () => {
    const md = [
      "# T", // 1
      "```sh", // 2
      "npm i", // 3
      "```", // 4
      "```ts", // 5
      'import { VERSION } from "puffle-chat";', // 6
      "```", // 7
      "<!-- prelude", // 8
      "declare const n: number;", // 9
      "-->", // 10
      "```ts fragment", // 11
      "n.toFixed();", // 12
      "```", // 13
    ].join("\n");
    const found = extractSnippets("x.md", md);
    expect(found.map((s) => [s.line, s.fragment, s.prelude, s.code])).toEqual([
      [6, false, "", 'import { VERSION } from "puffle-chat";\n'],
      [12, true, "declare const n: number;\n", "n.toFixed();\n"],
    ]);
    expect(snippetSource(found[1] as Snippet)).toEqual({
      text: "declare const n: number;\nn.toFixed();\n",
      offset: 1,
    });
  });

  it("finds the README's quick start", () => {
    expect(SNIPPETS.filter((s) => s.file === "README.md" && !s.fragment).length).toBeGreaterThan(0);
  });
});

describe("README and guide code blocks against the packed package", () => {
  it("typecheck in one strict NodeNext program (and a wrong call fails it)", () => {
    const files = [...SNIPPETS.map((s) => join(dir, snippetFileName(s))), join(dir, "canary.ts")];
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2023,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      moduleDetection: ts.ModuleDetectionKind.Force,
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
      jsx: ts.JsxEmit.ReactJSX,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ["node"],
      typeRoots: [join(ROOT, "node_modules", "@types")],
    });
    const problems: string[] = [];
    let canary = 0;
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      const name = d.file?.fileName.split("/").at(-1);
      if (name === "canary.ts") {
        canary++;
        continue;
      }
      const s = SNIPPETS.find((x) => snippetFileName(x) === name);
      if (!s || !d.file || d.start === undefined) {
        problems.push(`TS${d.code}: ${text}`);
        continue;
      }
      const pos = d.file.getLineAndCharacterOfPosition(d.start);
      const line = s.line + pos.line - snippetSource(s).offset;
      problems.push(`${s.file}:${line}:${pos.character + 1} TS${d.code}: ${text}`);
    }
    expect(problems).toEqual([]);
    expect(canary, "the canary's wrong call compiled: the typecheck does not see the package").toBe(
      1,
    );
  });

  describe.concurrent("run against an emulator", () => {
    it.each(RUNNABLE.map((s) => [`${s.file}:${s.line}`, s] as const))(
      "%s exits with 0",
      async (_name, s) => {
        const emulator = createEmulator({ taskDurationMs: 200 });
        const server = await emulator.listen();
        try {
          const result = await runNode(join(dir, snippetFileName(s)), {
            ...(s.code.includes("DATABASE_URL") ? { DATABASE_URL: await database() } : {}),
            PUFFLE_API_KEY: server.apiKey,
            PUFFLE_BASE_URL: server.url,
            PUFFLE_TRIGGER_BASE_URL: server.url,
            PUFFLE_CAMPAIGN_ID: emulator.demo.campaignId,
            PUFFLE_NODE_ID: emulator.demo.nodeId,
          });
          if (process.env.SNIPPETS_VERBOSE)
            console.log(`--- ${s.file}:${s.line}\n${result.output}`);
          expect(result.code, `${s.file}:${s.line}\n${result.output}`).toBe(0);
        } finally {
          await server.close();
        }
      },
    );
  });
});

/**
 * One PostgreSQL cluster for the blocks that need one (they read DATABASE_URL), started on first
 * use. Such blocks share it: each must use its own pg-boss schema if several ever run at once.
 */
let cluster: Promise<Postgres> | undefined;
async function database(): Promise<string> {
  cluster ??= startPostgres();
  return (await cluster).url;
}
afterAll(async () => {
  if (cluster) (await cluster).stop();
});

/** Run `node file` (Node strips the types) in the snippets dir; killed after 60 s. */
function runNode(
  file: string,
  env: Record<string, string>,
): Promise<{ code: number | string; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(NODE, ["--disable-warning=ExperimentalWarning", file], {
      cwd: dir,
      env: childEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => {
      output += "\n(killed after 60 s: the snippet did not end by itself)";
      child.kill("SIGKILL");
    }, 60_000);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal ?? "unknown", output });
    });
  });
}
