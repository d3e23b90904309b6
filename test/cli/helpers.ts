/**
 * Helpers of the CLI tests: run the bin as a child process, drive it in a tmux pseudo-terminal,
 * collect in-process output.
 */

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { CliIo, CliOutput } from "../../src/cli/io";

export const ROOT = resolve(import.meta.dirname, "../..");
export const TSX = resolve(ROOT, "node_modules/.bin/tsx");
export const BIN_DIR = resolve(ROOT, "node_modules/.bin");

/** The environment of a child: Node 24 first on PATH, no PUFFLE_* settings (embedded emulator). */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith("PUFFLE_") && k !== "CI") env[k] = v;
  }
  env.PATH = `${BIN_DIR}:${process.env.PATH ?? ""}`;
  env.NO_COLOR = "1";
  return { ...env, ...extra };
}

/** A running child of `tsx src/cli/index.ts …` with its output so far. */
export interface Child {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the child has exited. */
  exited: Promise<number | string>;
  /** Resolves once stdout matches `pattern`; rejects after `timeoutMs` or when the child exits. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

/**
 * How to run the CLI's source: `"tsx"` (the tsx bin, as `npm run demo` does: a runner process
 * plus a node child) or `"node"` (`node --import tsx`: one process). Signal tests use `"node"`:
 * the tsx runner relays a signal to its child and SIGKILLs it when the child does not confirm
 * within 30 ms, which a loaded machine can miss.
 */
export type Runner = "tsx" | "node";

/** The command and arguments that run `src/cli/index.ts …`. */
export function cliCommand(args: string[], runner: Runner = "node"): [string, string[]] {
  return runner === "tsx"
    ? [TSX, ["src/cli/index.ts", ...args]]
    : [process.execPath, ["--import", "tsx", "src/cli/index.ts", ...args]];
}

/** Start the CLI as a child process (stdin piped). */
export function startCli(
  args: string[],
  env: NodeJS.ProcessEnv = childEnv(),
  runner: Runner = "node",
): Child {
  const [command, argv] = cliCommand(args, runner);
  const child = spawn(command, argv, {
    cwd: ROOT,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    err += d;
  });
  const exited = new Promise<number | string>((resolveExit) => {
    child.on("exit", (code, signal) => resolveExit(code ?? signal ?? "unknown"));
  });
  let done = false;
  void exited.then(() => {
    done = true;
  });
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = out.match(pattern);
        if (match) return match;
        if (done) throw new Error(`exited before ${pattern}: ${out}\n${err}`);
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${pattern}: ${out}\n${err}`);
        await sleep(50);
      }
    },
  };
}

/** Run the CLI to the end (killed after `timeoutMs`). */
export async function runCli(
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; runner?: Runner } = {},
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const child = startCli(args, options.env ?? childEnv(), options.runner);
  child.process.stdin?.end(options.input ?? "");
  const timer = setTimeout(() => child.process.kill("SIGKILL"), options.timeoutMs ?? 45_000);
  try {
    const code = await child.exited;
    return { code, stdout: child.stdout(), stderr: child.stderr() };
  } finally {
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Output collected in memory, for in-process runs. */
export function collector(isTTY = false): CliOutput & { text(): string } {
  let text = "";
  return {
    isTTY,
    write(chunk: string) {
      text += chunk;
      return true;
    },
    text: () => text,
  };
}

/** An in-process {@link CliIo} with collected output and an empty environment. */
export function memoryIo(env: Record<string, string> = {}): CliIo & {
  out: ReturnType<typeof collector>;
  err: ReturnType<typeof collector>;
} {
  const out = collector();
  const err = collector();
  return { stdout: out, stderr: err, stdin: process.stdin, env, out, err };
}

/** Processes whose command line contains `marker` (pgrep -f), excluding pgrep itself. */
export function pgrep(marker: string): number[] {
  try {
    return execFileSync("pgrep", ["-f", marker], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // exit status 1: no match
  }
}

/** A tmux server of its own (socket `-L`) running one session of `width`×`height`. */
export class Tmux {
  readonly socket = `puffle-cli-${process.pid}-${randomBytes(4).toString("hex")}`;
  readonly session = "cli";

  /** Start `command` (run by `sh -c`) in a new detached session of `width` columns. */
  start(command: string, width = 120): void {
    this.tmux(["new-session", "-d", "-s", this.session, "-x", String(width), "-y", "40", command]);
  }

  /** Send keys (`send-keys` syntax: literal text, `Enter`, `C-c`). */
  send(...keys: string[]): void {
    this.tmux(["send-keys", "-t", this.session, ...keys]);
  }

  /** Send literal text followed by Enter. */
  type(text: string): void {
    this.tmux(["send-keys", "-t", this.session, "-l", text]);
    this.tmux(["send-keys", "-t", this.session, "Enter"]);
  }

  /**
   * The pane's text, scrollback included. `joined` (default): the lines tmux wrapped itself are
   * joined again, so a line longer than the pane shows that the program did not wrap it.
   */
  capture(joined = true): string {
    try {
      return this.tmux([
        "capture-pane",
        "-p",
        ...(joined ? ["-J"] : []),
        "-t",
        this.session,
        "-S",
        "-2000",
      ]);
    } catch {
      return "";
    }
  }

  /** Save the pane's text as test-results/cli/<name>.txt (to look at); returns the text. */
  save(name: string, text = this.capture()): string {
    const dir = join(ROOT, "test-results", "cli");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.txt`), text);
    return text;
  }

  /** Poll the pane until `predicate` holds; throws with the pane's text after `timeoutMs`. */
  async waitFor(predicate: (text: string) => boolean, what: string, timeoutMs = 25_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.capture();
      if (predicate(text)) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; pane:\n${text}`);
      await sleep(100);
    }
  }

  /** The pid of the pane's process (the wrapper shell). */
  panePid(): number {
    return Number(this.tmux(["display-message", "-p", "-t", this.session, "#{pane_pid}"]).trim());
  }

  /** Kill the session (and with it the tmux server of this socket). Never throws. */
  kill(): void {
    try {
      this.tmux(["kill-session", "-t", this.session]);
    } catch {}
    try {
      this.tmux(["kill-server"]);
    } catch {}
    // tmux leaves the socket file of a killed server behind.
    const dir = join(process.env.TMUX_TMPDIR ?? "/tmp", `tmux-${process.getuid?.() ?? 0}`);
    rmSync(join(dir, this.socket), { force: true });
  }

  private tmux(args: string[]): string {
    return execFileSync("tmux", ["-L", this.socket, ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  }
}

/** Count the occurrences of `needle` in `text`. */
export function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** Every descendant of `pid` as `{ pid, command }` (from `ps`). */
export function descendants(pid: number): Array<{ pid: number; command: string }> {
  const rows = execFileSync("ps", ["-e", "-o", "pid=,ppid=,comm="], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 3)
    .map(([p, pp, ...command]) => ({
      pid: Number(p),
      ppid: Number(pp),
      command: command.join(" "),
    }));
  const out: Array<{ pid: number; command: string }> = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const row of rows) {
      if (row.ppid !== parent) continue;
      out.push({ pid: row.pid, command: row.command });
      queue.push(row.pid);
    }
  }
  return out;
}
