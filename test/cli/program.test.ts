import { describe, expect, it } from "vitest";
import { parseDuration, parsePort } from "../../src/cli/args";
import { formatLint, formatWait, maskKey } from "../../src/cli/format";
import { runCli as runProgram } from "../../src/cli/program";
import { lintDraft } from "../../src/template/index";
import { VERSION } from "../../src/version";
import { memoryIo } from "./helpers";

describe("puffle-chat command line", () => {
  it("--help lists the four commands", async () => {
    const io = memoryIo();
    expect(await runProgram(["--help"], io)).toBe(0);
    for (const command of ["emulator", "demo", "chat", "mcp"]) {
      expect(io.out.text()).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
    }
  });

  it("chat --help documents its flags", async () => {
    const io = memoryIo();
    expect(await runProgram(["chat", "--help"], io)).toBe(0);
    for (const flag of ["--campaign <id>", "--node <id>", "--json", "--task-duration <ms>"]) {
      expect(io.out.text()).toContain(flag);
    }
  });

  it("mcp --help documents its flags; a bad --max-wait is a usage error", async () => {
    let io = memoryIo();
    expect(await runProgram(["mcp", "--help"], io)).toBe(0);
    for (const flag of ["--read-only", "--campaign <id>", "--tools <names>", "--max-wait <ms>"]) {
      expect(io.out.text()).toContain(flag);
    }
    io = memoryIo();
    expect(await runProgram(["mcp", "--max-wait", "soon"], io)).toBe(2);
    expect(io.err.text()).toContain("expected milliseconds");
  });

  it("--version prints the SDK version", async () => {
    const io = memoryIo();
    expect(await runProgram(["--version"], io)).toBe(0);
    expect(io.out.text().trim()).toBe(VERSION);
  });

  it("a bad flag value or an unknown command is a usage error (exit 2, message on stderr)", async () => {
    let io = memoryIo();
    expect(await runProgram(["demo", "--task-duration", "soon"], io)).toBe(2);
    expect(io.err.text()).toContain("--task-duration");
    expect(io.err.text()).toContain("expected milliseconds");
    io = memoryIo();
    expect(await runProgram(["emulator", "--port", "70000"], io)).toBe(2);
    expect(io.err.text()).toContain("port");
    io = memoryIo();
    expect(await runProgram(["serve"], io)).toBe(2);
    expect(io.err.text()).toContain("unknown command");
  });
});

describe("CLI helpers", () => {
  it("parseDuration and parsePort accept whole numbers in range only", () => {
    expect(parseDuration("0")).toBe(0);
    expect(parseDuration("1500")).toBe(1500);
    for (const bad of ["", "-1", "1.5", "1e3", "abc", "3600001"]) {
      expect(() => parseDuration(bad)).toThrow(/milliseconds/);
    }
    expect(parsePort("0")).toBe(0);
    expect(parsePort("4010")).toBe(4010);
    for (const bad of ["-1", "65536", "http"]) expect(() => parsePort(bad)).toThrow(/port/);
  });

  it("maskKey never shows more than 24 characters of a key", () => {
    const key = `pk_live_${"0123456789abcdef".repeat(4)}`;
    const masked = maskKey(key);
    expect(masked.replace("…", "").length).toBeLessThanOrEqual(24);
    expect(key.startsWith(masked.replace("…", ""))).toBe(true);
  });

  it("formatLint lists each issue with its position; formatWait names mode, requests and time", () => {
    const report = formatLint(
      lintDraft(
        { subject: "Hi", body: "Hello %frist_name% — bye" },
        {
          availableVarNames: ["first_name"],
        },
      ),
    );
    expect(report).toMatch(/^NOT ok \(2 errors, 0 warnings\)/);
    expect(report).toMatch(/body:1:7 error unknown-variable: /);
    expect(report).toMatch(/body:1:\d+ error em-dash: /);
    expect(formatWait({ mode: "poll", requests: 1, elapsedMs: 2100 })).toBe(
      "poll, 1 request, 2.10 s",
    );
  });
});
