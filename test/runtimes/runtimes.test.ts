/**
 * Every runtime the README's Requirements section names, smoke-tested from the packed tarball
 * (packed once per run, see test/package/pack.ts) against the emulator over real HTTP on
 * 127.0.0.1: createSession → chat over realtime → generateExamplesAndWait → subscribeToChat to its
 * end → waitForIdle.
 *
 * - Node 24 and the Node floor (node-floor, the exact version engines.node names), ESM and require
 * - Bun, Deno (without --allow-env: every option is passed explicitly)
 * - Cloudflare workerd, through miniflare, with the Worker bundled by esbuild as wrangler does
 * - the browser entry puffle-chat/realtime bundled by esbuild, Vite, webpack and Rollup, run in
 *   Debian's Chromium, following a run from another origin
 *
 * The programs must end by themselves: a process kept alive by the SDK fails here (timeout).
 */

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { pathToFileURL } from "node:url";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { build as esbuild } from "esbuild";
import type { Browser } from "playwright-core";
import { rollup } from "rollup";
import { build as viteBuild } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import webpack from "webpack";
import type * as Main from "../../src/index";
import type * as Testing from "../../src/testing/index";
import {
  exec,
  NODE,
  projectVersion,
  ROOT,
  type SharedPackage,
  sharedPackage,
} from "../package/pack";
import { launchChromium } from "../support/chromium";
import { loadMiniflare, toolBin } from "../support/runtime-tools";
import {
  BROWSER_PAGE,
  browserHtml,
  CJS_PROGRAM,
  ESM_PROGRAM,
  type RuntimeReport,
  WORKER_PROGRAM,
} from "./programs";

const FLOOR = join(ROOT, "node_modules", "node-floor", "bin", "node");
const RUN_TIMEOUT_MS = 90_000;

let pkg: SharedPackage;
let work: string;
let version: string;

beforeAll(async () => {
  pkg = await sharedPackage();
  work = join(pkg.consumer, "runtimes");
  await mkdir(work, { recursive: true });
  version = await projectVersion();
}, 300_000);

function expectScenario(report: RuntimeReport) {
  expect(report).toEqual({
    version,
    chat: { modes: ["realtime", "realtime"], replied: true, skeleton: true },
    examples: 3,
    stream: {
      first: "status",
      last: "completed",
      completed: 1,
      deltas: expect.any(Number),
      deltasAreTheReply: true,
    },
    idle: true,
  });
  expect(report.stream.deltas).toBeGreaterThan(0);
}

/** Run a program file with a runtime; the last stdout line is its JSON report. */
async function runReport(file: string, program: string, command: string, args: string[]) {
  await writeFile(join(work, file), program);
  const { stdout } = await exec(command, [...args, file], {
    cwd: work,
    timeoutMs: RUN_TIMEOUT_MS,
    env: { NO_COLOR: "1" },
  });
  const line = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(line) as RuntimeReport;
}

describe("the packed package on server runtimes", () => {
  for (const [name, node] of [
    ["Node 24", NODE],
    ["the Node floor (22.12.0)", FLOOR],
  ] as const) {
    it(`${name}: import (ESM)`, async () => {
      expectScenario(await runReport("node.mjs", ESM_PROGRAM, node, []));
    });
    it(`${name}: require (CommonJS)`, async () => {
      expectScenario(await runReport("node.cjs", CJS_PROGRAM, node, []));
    });
  }

  it("Bun", async () => {
    expectScenario(await runReport("bun.mjs", ESM_PROGRAM, toolBin("bun"), ["run"]));
  });

  it("Deno, without --allow-env (every option passed explicitly)", async () => {
    // Only network (the emulator and the client) and reads (node_modules): no env, no prompt.
    expectScenario(
      await runReport("deno.mjs", ESM_PROGRAM, toolBin("deno"), [
        "run",
        "--allow-net=127.0.0.1",
        "--allow-read",
        "--no-prompt",
      ]),
    );
  });

  it("Cloudflare workerd (miniflare), the Worker bundled by esbuild as wrangler does", async () => {
    const testing = await importFromTarball<typeof Testing>("testing.js");
    const emulator = testing.createEmulator({
      taskDurationMs: 60,
      liveHoldMs: 300,
      pingIntervalMs: 100,
    });
    const server = await emulator.listen({ host: "127.0.0.1" });
    const bundle = await esbuild({
      stdin: { contents: WORKER_PROGRAM, resolveDir: work, loader: "js" },
      bundle: true,
      format: "esm",
      platform: "neutral",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["browser", "module", "main"],
      write: false,
      logLevel: "silent",
    });
    const Miniflare = await loadMiniflare();
    const mf = new Miniflare({
      // Listed explicitly: miniflare refuses to guess the modules of a script with a dynamic
      // import (the optional @trigger.dev transport, never loaded here).
      modules: [
        { type: "ESModule", path: "worker.mjs", contents: bundle.outputFiles[0]?.text ?? "" },
      ],
      compatibilityDate: "2026-01-01",
      bindings: {
        EMULATOR_URL: server.url,
        API_KEY: server.apiKey,
        CAMPAIGN_ID: emulator.demo.campaignId,
        NODE_ID: emulator.demo.nodeId,
      },
    });
    try {
      const response = await mf.dispatchFetch("http://worker.test/");
      const text = await response.text();
      expect(response.status, text).toBe(200);
      expectScenario(JSON.parse(text) as RuntimeReport);
    } finally {
      await mf.dispose();
      await server.close();
      await emulator.close();
    }
  });
});

/** Import a file of the installed package's dist/ into this (Node 24) process. */
async function importFromTarball<T>(file: string): Promise<T> {
  const path = join(pkg.consumer, "node_modules", "puffle-chat", "dist", file);
  return (await import(pathToFileURL(path).href)) as T;
}

describe("puffle-chat/realtime bundled for browsers and run in Chromium", () => {
  let browser: Browser;
  let www: string;
  let site: Server;
  let siteOrigin: string;
  let emulator: Testing.Emulator;
  let server: Testing.ListeningEmulator;
  let client: Main.PuffleClient;
  let sessionId: string;

  beforeAll(async () => {
    www = join(work, "www");
    await mkdir(www, { recursive: true });
    await writeFile(join(work, "page.js"), BROWSER_PAGE);
    // The app's server side, from the tarball: the API key never reaches the page.
    const testing = await importFromTarball<typeof Testing>("testing.js");
    const main = await importFromTarball<typeof Main>("index.js");
    emulator = testing.createEmulator({
      taskDurationMs: 200,
      liveHoldMs: 300,
      pingIntervalMs: 100,
    });
    server = await emulator.listen({ host: "127.0.0.1" });
    client = new main.PuffleClient({
      apiKey: server.apiKey,
      baseURL: server.url,
      triggerBaseURL: server.url,
      logLevel: "off",
    });
    const session = await client.createSession({
      campaign_id: emulator.demo.campaignId,
      node_id: emulator.demo.nodeId,
    });
    sessionId = session.id;
    await client.chat(sessionId, { message: "Intro email for VPs of Sales" });
    await client.chat(sessionId, { message: "Focus on time to ROI, keep it short" });
    const withExamples = await client.generateExamplesAndWait(sessionId, {
      leads: [
        { first_name: "Ada", company: "Analytical Engines", position: "VP of Sales" },
        { first_name: "Grace", company: "Cobol Systems", position: "Head of Revenue" },
        { first_name: "Alan", company: "Enigma Labs", position: "Sales Director" },
      ],
    });
    expect(withExamples.generated_examples ?? []).toHaveLength(3);
    site = createServer((req, res) => {
      const path = normalize(new URL(req.url ?? "/", "http://x").pathname).replace(/^\/+/, "");
      readFile(join(www, path)).then(
        (body) => {
          const type = extname(path) === ".html" ? "text/html" : "text/javascript";
          res.writeHead(200, { "content-type": type });
          res.end(body);
        },
        () => {
          res.writeHead(404);
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (site) {
      site.closeAllConnections();
      await new Promise<void>((resolve) => site.close(() => resolve()));
    }
    await server?.close();
    await emulator?.close();
  });

  /** A turn run followed in the page at `path`; checks what the page saw against the emulator. */
  async function followInChromium(path: string) {
    const run = await client.runTurn(sessionId, { message: "Shorter, please" });
    const { runId, publicAccessToken } = run;
    if (!runId || !publicAccessToken) throw new Error("the emulator answered a run with no token");
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    try {
      const query = new URLSearchParams({
        runId,
        token: publicAccessToken,
        base: server.url,
      });
      await page.goto(`${siteOrigin}/${path}?${query}`);
      await page.waitForFunction(() => "__result" in window, undefined, { timeout: 30_000 });
      const result = (await page.evaluate(() => (window as { __result?: unknown }).__result)) as {
        ok: boolean;
        error?: string;
        events: { type: string; text?: string; output?: { reply?: string } }[];
      };
      expect(errors).toEqual([]);
      expect(result.error).toBeUndefined();
      expect(result.ok).toBe(true);
      const types = result.events.map((e) => e.type);
      expect(types[0]).toBe("status");
      expect(types.at(-1)).toBe("completed");
      expect(types.filter((t) => t === "completed")).toHaveLength(1);
      const reply = result.events
        .filter((e) => e.type === "delta")
        .map((e) => e.text)
        .join("");
      expect(reply.length).toBeGreaterThan(0);
      expect(result.events.at(-1)?.output).toEqual(emulator.getRun(runId)?.output);
      expect(reply).toBe(result.events.at(-1)?.output?.reply);
    } finally {
      await page.close();
    }
    expect((await client.waitForIdle(sessionId, { run })).task_status).toBeNull();
  }

  it("esbuild", async () => {
    const out = join(www, "esbuild");
    const result = await esbuild({
      entryPoints: [join(work, "page.js")],
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      outfile: join(out, "page.js"),
      logLevel: "silent",
    });
    expect(result.warnings).toEqual([]);
    await writeFile(join(out, "index.html"), browserHtml("./page.js", true));
    await followInChromium("esbuild/index.html");
  });

  it("Vite", async () => {
    const app = join(work, "vite-app");
    await mkdir(app, { recursive: true });
    await writeFile(join(app, "page.js"), BROWSER_PAGE);
    await writeFile(join(app, "index.html"), browserHtml("./page.js", true));
    const warnings: string[] = [];
    await viteBuild({
      root: app,
      configFile: false,
      base: "./",
      logLevel: "silent",
      customLogger: {
        info: () => {},
        warn: (message) => warnings.push(message),
        warnOnce: (message) => warnings.push(message),
        error: (message) => warnings.push(message),
        clearScreen: () => {},
        hasErrorLogged: () => false,
        hasWarned: false,
      },
      build: { outDir: join(www, "vite"), emptyOutDir: true },
    });
    expect(warnings).toEqual([]);
    await followInChromium("vite/index.html");
  });

  it("webpack (no warnings, also for the main entry's optional-peer import)", async () => {
    const out = join(www, "webpack");
    await writeFile(
      join(work, "main-entry.js"),
      'import { PuffleClient } from "puffle-chat";\nconsole.log(typeof PuffleClient);\n',
    );
    const stats = await new Promise<webpack.Stats>((resolve, reject) => {
      webpack(
        {
          mode: "production",
          target: "web",
          context: work,
          entry: { page: "./page.js", main: "./main-entry.js" },
          output: { path: out, filename: "[name].js" },
          performance: { hints: false },
          // Production resolution and tree shaking; no minifier (slow, and not what is tested).
          optimization: { minimize: false },
        },
        (error, result) => (error || !result ? reject(error) : resolve(result)),
      );
    });
    const info = stats.toJson({ all: false, errors: true, warnings: true });
    expect(info.errors?.map((e) => e.message) ?? []).toEqual([]);
    expect(info.warnings?.map((w) => w.message) ?? []).toEqual([]);
    await writeFile(join(out, "index.html"), browserHtml("./page.js", false));
    await followInChromium("webpack/index.html");
  });

  it("Rollup (with @rollup/plugin-node-resolve)", async () => {
    const warnings: string[] = [];
    const bundle = await rollup({
      input: join(work, "page.js"),
      plugins: [nodeResolve({ browser: true })],
      // Rollup warns about a dependency's own code (@electric-sql/client's
      // @microsoft/fetch-event-source rewrites top-level `this`): only ours must be clean.
      onwarn: (warning) => {
        const id = warning.id ?? warning.loc?.file ?? "";
        if (
          id === "" ||
          id.includes("/node_modules/puffle-chat/") ||
          !id.includes("/node_modules/")
        )
          warnings.push(`${warning.code ?? ""}: ${warning.message}`);
      },
    });
    try {
      await bundle.write({ dir: join(www, "rollup"), format: "es" });
    } finally {
      await bundle.close();
    }
    expect(warnings).toEqual([]);
    await writeFile(join(www, "rollup", "index.html"), browserHtml("./page.js", true));
    await followInChromium("rollup/index.html");
  });
});
