/**
 * scripts/check-lockfile.mjs (run by `npm test`): a lockfile written over an existing node_modules
 * lacks the other platforms' optional binaries, and `npm ci` refuses it on every other machine.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const SCRIPT = join(ROOT, "scripts", "check-lockfile.mjs");

type Lock = {
  packages: Record<string, { version?: string; optionalDependencies?: Record<string, string> }>;
};

let dir = "";
let lock: Lock;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "puffle-lockfile-"));
  lock = JSON.parse(await readFile(join(ROOT, "package-lock.json"), "utf8")) as Lock;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function check(mutated: Lock): Promise<{ code: number; out: string }> {
  const file = join(dir, `lock-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(mutated));
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT, file]);
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** The first locked package that declares optional dependencies, and one of them. */
function someOptional(l: Lock): { owner: string; dep: string } {
  for (const [path, entry] of Object.entries(l.packages)) {
    const dep = Object.keys(entry.optionalDependencies ?? {})[0];
    if (path !== "" && dep && l.packages[`node_modules/${dep}`]) return { owner: path, dep };
  }
  throw new Error("the lockfile declares no optional dependency");
}

describe("check-lockfile", () => {
  it("accepts the project's lockfile", async () => {
    const { code, out } = await check(lock);
    expect(out).toMatch(/all declared optional dependencies locked/);
    expect(code).toBe(0);
  });

  it("fails naming the package when a declared optional platform package is missing", async () => {
    const { dep, owner } = someOptional(lock);
    const broken = structuredClone(lock);
    delete broken.packages[`node_modules/${dep}`];
    const { code, out } = await check(broken);
    expect(code).toBe(1);
    expect(out).toContain(`missing: ${dep}@`);
    expect(out).toContain(`${owner.slice(owner.lastIndexOf("node_modules/") + 13)}@`);
  });

  it("fails naming the package when a locked optional package does not satisfy the declared range", async () => {
    const { dep } = someOptional(lock);
    const broken = structuredClone(lock);
    const entry = broken.packages[`node_modules/${dep}`];
    if (entry) entry.version = "0.0.1-not-the-one";
    const { code, out } = await check(broken);
    expect(code).toBe(1);
    expect(out).toContain(`invalid: ${dep}@0.0.1-not-the-one locked`);
  });
});
