/**
 * Nothing keeps the process alive: a child process that subscribes, aborts, breaks out and fails
 * with both transports and subscribeToChat, then closes its server, must exit by itself.
 */

import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("realtime resource lifecycle", () => {
  it("leaves no timer, socket or fetch alive after abort, break, errors and completion", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "test/realtime/fixtures/exit-check.ts"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve("still running after 25 s: something kept the process alive");
      }, 25_000);
      child.on("exit", (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode ?? "killed");
      });
    });
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toContain("light: done");
    expect(output).toContain("trigger-sdk: done");
    expect(output).toContain("chat: done");
  }, 40_000);
});
