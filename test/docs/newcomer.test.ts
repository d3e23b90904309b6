/**
 * What a newcomer meets first, followed literally (issue 18): a fresh `npm init -y` project in the
 * OS temp dir, then every shell command and every named file of the README's Install and Quick
 * start sections, in order (test/docs/walkthrough.ts), on Node 24; then the same for the testing
 * guide on the Node floor (22.12.0, which strips no types by default).
 *
 * What is not literal, and why: `npm install puffle-chat` installs the tarball this run packed
 * (the version under test, not the one on npm); `npx puffle-chat emulator` (the "other shell") is
 * started in the background on a free port (`--port 0`), and the `export` lines it prints are
 * applied to the commands after it, as the reader pastes them. The PATH holds the chosen Node and
 * the system's npm, not the project's node_modules/.bin, so nothing of this checkout is at hand;
 * registry packages (tsx, msw) come through npm's cache (`prefer-offline`).
 */

import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NODE, ROOT, sharedPackage } from "../package/pack";
import { type WalkStep, walkthrough } from "./walkthrough";

const FLOOR = join(ROOT, "node_modules", "node-floor", "bin", "node");
const EMULATOR = /^npx puffle-chat emulator\b/;
/** `export PUFFLE_API_KEY=pk_live_… …`: "paste what the emulator printed" (applied already). */
const PASTE = /^export PUFFLE_\w+=.*…/;
const STEP_TIMEOUT_MS = 300_000;
/** Where each command leaves the directory it ended in (removed after the file). */
const marker = join(tmpdir(), `puffle-chat-newcomer-cwd-${process.pid}`);

let tarball = "";
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ({
    packed: { tarball },
  } = await sharedPackage());
}, 600_000);

afterAll(() => rm(marker, { force: true }));

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("a newcomer follows the docs literally, in a fresh `npm init -y` project", () => {
  it("README: Install and Quick start, on Node 24", { timeout: 900_000 }, async () => {
    const readme = await readFile(join(ROOT, "README.md"), "utf8");
    const steps = walkthrough(readme, { from: "## Install", through: "## Quick start" });
    expect(steps.some((s) => s.kind === "file")).toBe(true);
    const { outputs } = await follow(steps, NODE);
    // The quick start's last command printed the turn's wait (`{ mode: "realtime", … }`).
    expect(outputs.at(-1)).toMatch(/mode: '(realtime|poll)'/);
  });

  it("the first-draft guide, steps 1 to 3 (step 4 is the interactive chat), on Node 24", {
    timeout: 900_000,
  }, async () => {
    const guide = await readFile(join(ROOT, "docs/guides/first-draft.md"), "utf8");
    const steps = walkthrough(guide, {
      from: "## 1. Install and start the emulator",
      through: "## 3. See it written for real people",
    });
    const { outputs } = await follow(steps, NODE);
    // Step 3 printed the examples, one `--- subject` per lead.
    expect(outputs.at(-1)?.match(/^--- /gm)).toHaveLength(3);
  });

  it("the testing guide, on the Node floor (22.12.0)", { timeout: 900_000 }, async () => {
    const guide = await readFile(join(ROOT, "docs/guides/testing.md"), "utf8");
    const steps = walkthrough(guide);
    expect(steps.filter((s) => s.kind === "file").length).toBeGreaterThanOrEqual(3);
    const { node } = await follow(steps, FLOOR);
    expect(node).toMatch(/^v22\.12\./);
  });
});

/**
 * Replay `steps` in a new `npm init -y` project with `node` on the PATH; every command must exit
 * 0. Resolves with each command's output and the version `node` reported there.
 */
async function follow(
  steps: WalkStep[],
  node: string,
): Promise<{ outputs: string[]; node: string }> {
  const dir = await mkdtemp(join(tmpdir(), "puffle-chat-newcomer-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const bin = join(dir, "bin");
  const project = join(dir, "my-app");
  await mkdir(bin);
  await mkdir(project);
  await symlink(node, join(bin, "node"));
  const env = newcomerEnv(bin);
  // One shell session, as a reader has: a `cd` holds for the commands after it.
  let cwd = project;
  const shell = async (command: string) => {
    const { output, cwd: after } = await run(command, cwd, env);
    cwd = after;
    return output;
  };
  const outputs: string[] = [await shell("npm init -y"), await shell("node --version")];
  const version = outputs[1]?.trim() ?? "";
  for (const step of steps) {
    if (step.kind === "file") {
      await writeFile(join(cwd, step.name), step.code);
    } else if (EMULATOR.test(step.command)) {
      Object.assign(env, await startEmulator(step.command, cwd, env));
    } else if (!PASTE.test(step.command)) {
      outputs.push(await shell(withTarball(step.command)));
    }
  }
  return { outputs, node: version };
}

/** The environment of a machine with only `bin` (the chosen Node) and the system's tools. */
function newcomerEnv(bin: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(PUFFLE_|npm_|NODE_OPTIONS$|VITEST)/i.test(key)) env[key] = value;
  }
  const path = (process.env.PATH ?? "").split(delimiter).filter((p) => !p.includes("node_modules"));
  env.PATH = [bin, ...path].join(delimiter);
  env.NO_COLOR = "1";
  env.npm_config_update_notifier = "false";
  env.npm_config_fund = "false";
  env.npm_config_audit = "false";
  env.npm_config_prefer_offline = "true";
  return env;
}

/** `npm install puffle-chat` (or `npm i …`) installs the tarball under test instead. */
function withTarball(command: string): string {
  if (!/^npm (install|i|add)\b/.test(command)) return command;
  return command.replace(/(^|\s)puffle-chat(?=\s|$)/, `$1${tarball}`);
}

/**
 * Run one command with bash in `cwd`; resolves with its output and the directory it ended in,
 * rejects unless it exits 0.
 */
function run(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ output: string; cwd: string }> {
  const script = `${command}\ncode=$?; pwd > ${JSON.stringify(marker)}; exit $code`;
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), STEP_TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        readFile(marker, "utf8").then((dir) => resolve({ output, cwd: dir.trim() }), reject);
      } else reject(new Error(`\`${command}\` exited with ${code ?? signal}:\n${output}`));
    });
  });
}

/**
 * The README's "other shell": `npx puffle-chat emulator` on a free port, in its own process group
 * (stopped after the test). Resolves with the variables of the `export` lines it prints.
 */
function startEmulator(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Record<string, string>> {
  const freePort = `${command.replace(/\s--port\s+\d+/, "")} --port 0`;
  const child = spawn("bash", ["-c", `exec ${freePort}`], {
    cwd,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  cleanups.push(() => stopGroup(child));
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`the emulator printed no export lines in 120 s:\n${output}`)),
      120_000,
    );
    const read = (d: Buffer) => {
      output += d.toString();
      const exports = output.split("\n").filter((line) => line.startsWith("export "));
      if (exports.length < 2 || !output.endsWith("\n")) return;
      clearTimeout(timer);
      const pairs = exports.flatMap((line) => line.slice("export ".length).trim().split(/\s+/));
      resolve(
        Object.fromEntries(
          pairs.map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]),
        ),
      );
    };
    child.stdout.on("data", read);
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(
        new Error(`the emulator exited (${code}) before printing its export lines:\n${output}`),
      );
    });
  });
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid, "SIGTERM");
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
