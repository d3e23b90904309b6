/**
 * Helpers of the package tests: pack the project as `npm publish` would, and install the tarball
 * into a throwaway project in the OS temp dir, the way a user gets it.
 */

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { inject } from "vitest";

const run = promisify(execFile);

/** The project root (where package.json is). */
export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** The Node the project pins (node_modules/.bin/node, v24), used for every child process. */
export const NODE = join(ROOT, "node_modules", ".bin", "node");

/** The entry files `npm test` builds before vitest runs (tsup). */
export const BUILT_ENTRIES = [
  "index.js",
  "index.cjs",
  "index.d.ts",
  "index.d.cts",
  "realtime.js",
  "realtime.cjs",
  "realtime.d.ts",
  "realtime.d.cts",
  "testing.js",
  "testing.cjs",
  "testing.d.ts",
  "testing.d.cts",
  "server.js",
  "server.d.ts",
  "mcp.js",
  "mcp.d.ts",
  "react.js",
  "react.d.ts",
  "template.js",
  "template.cjs",
  "template.d.ts",
  "template.d.cts",
  "types.d.ts",
  "types.d.cts",
  "openapi.d.ts",
  "openapi.d.cts",
  "otel.js",
  "otel.cjs",
  "otel.d.ts",
  "otel.d.cts",
  "pg-boss.js",
  "pg-boss.cjs",
  "pg-boss.d.ts",
  "trigger.js",
  "trigger.cjs",
  "trigger.d.ts",
];

/** Throw a clear error when dist/ was not built (`npm test` runs tsup before vitest). */
export function assertBuilt(): void {
  const missing = BUILT_ENTRIES.filter((f) => !existsSync(join(ROOT, "dist", f)));
  if (missing.length > 0) {
    throw new Error(
      `dist/ is not built (missing ${missing.map((f) => `dist/${f}`).join(", ")}). ` +
        "The package tests check the built package: run `npx tsup` (or `npm test`, which builds first).",
    );
  }
}

/** Environment of child processes: the project's Node first on PATH, no PUFFLE_* settings. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("PUFFLE_")) delete env[key];
  env.PATH = [join(ROOT, "node_modules", ".bin"), env.PATH ?? ""].join(delimiter);
  env.npm_config_update_notifier = "false";
  env.NO_COLOR = "1";
  return { ...env, ...extra };
}

/** Run a command; resolves with stdout/stderr, rejects with both in the message. */
export async function exec(
  file: string,
  args: string[],
  options: { cwd: string; timeoutMs?: number; env?: Record<string, string> },
): Promise<{ stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd: options.cwd,
      env: childEnv(options.env),
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout: String(stdout), stderr: String(stderr) };
  } catch (error) {
    const e = error as { stdout?: unknown; stderr?: unknown; code?: unknown; message: string };
    throw new Error(
      `${file} ${args.join(" ")} failed (exit ${String(e.code)}): ${e.message}\n` +
        `--- stdout\n${String(e.stdout ?? "")}\n--- stderr\n${String(e.stderr ?? "")}`,
    );
  }
}

/** A packed tarball and the files it holds. */
export interface Packed {
  /** The temp dir that holds everything of this run (removed by {@link cleanup}). */
  dir: string;
  /** Absolute path of the .tgz. */
  tarball: string;
  /** Paths inside the package (`package/` prefix removed), as `npm pack --json` lists them. */
  files: string[];
}

/** `npm pack` the project into a fresh temp dir (under `parent`, default the OS temp dir). */
export async function pack(parent: string = tmpdir()): Promise<Packed> {
  assertBuilt();
  const dir = await mkdtemp(join(parent, "puffle-chat-pkg-"));
  const out = join(dir, "pack");
  await mkdir(out);
  const { stdout } = await exec(
    "npm",
    ["pack", "--pack-destination", out, "--json", "--ignore-scripts"],
    { cwd: ROOT },
  );
  const json = JSON.parse(stdout.slice(stdout.indexOf("["))) as {
    filename: string;
    files: { path: string }[];
  }[];
  const first = json[0];
  if (!first) throw new Error(`npm pack printed no package: ${stdout}`);
  return { dir, tarball: join(out, first.filename), files: first.files.map((f) => f.path).sort() };
}

/** Install a tarball into a new project under `packed.dir`; returns the project dir. */
export async function installInto(packed: Packed): Promise<string> {
  const project = join(packed.dir, "consumer");
  await mkdir(project);
  await writeFile(
    join(project, "package.json"),
    `${JSON.stringify({ name: "puffle-chat-consumer", version: "1.0.0", private: true }, null, 2)}\n`,
  );
  await exec(
    "npm",
    [
      "install",
      packed.tarball,
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      "--prefer-offline",
      "--no-package-lock",
    ],
    { cwd: project, timeoutMs: 300_000 },
  );
  return project;
}

/** Remove everything a run created. */
export async function cleanup(packed: Packed | undefined): Promise<void> {
  if (packed) await rm(packed.dir, { recursive: true, force: true });
}

/** The version in the project's package.json. */
export async function projectVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** The tarball packed and installed once per vitest run, shared by every test file that asks. */
export interface SharedPackage {
  packed: Packed;
  /** A project with the tarball installed (optional peers not installed). Add files, not deps. */
  consumer: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** A temp dir made by test/support/global-setup.ts, removed when the run ends. */
    puffleShareDir: string;
  }
}

let shared: Promise<SharedPackage> | undefined;

/**
 * Pack the project and install the tarball once per vitest run, whichever test file (worker) asks
 * first; the others wait for it. Lives in the run's share dir (test/support/global-setup.ts), so it
 * is removed when the run ends: callers never clean it up.
 */
export function sharedPackage(): Promise<SharedPackage> {
  shared ??= acquireShared();
  return shared;
}

async function acquireShared(): Promise<SharedPackage> {
  const dir = inject("puffleShareDir");
  if (!dir) throw new Error("no share dir: run through vitest (test/support/global-setup.ts)");
  const ready = join(dir, "shared.json");
  const failed = join(dir, "failed.txt");
  try {
    await mkdir(join(dir, "lock"));
  } catch (error) {
    if ((error as { code?: string }).code !== "EEXIST") throw error;
    // Another worker packs: wait for its answer (packing and installing take seconds).
    for (let waited = 0; waited < 600_000; waited += 200) {
      if (await exists(failed)) throw new Error(await readFile(failed, "utf8"));
      if (await exists(ready)) return JSON.parse(await readFile(ready, "utf8")) as SharedPackage;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error("the shared package was not ready within 10 minutes");
  }
  try {
    const packed = await pack(dir);
    const consumer = await installInto(packed);
    const result: SharedPackage = { packed, consumer };
    await writeFile(`${ready}.tmp`, JSON.stringify(result));
    await rename(`${ready}.tmp`, ready);
    return result;
  } catch (error) {
    await writeFile(failed, `packing for the shared package failed: ${(error as Error).message}`);
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
