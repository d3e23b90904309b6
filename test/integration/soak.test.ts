/**
 * Issue 9: the soak (bench/soak.mjs) at a small size, as part of `npm test`: sessions × turns
 * through `chat()` with random faults of every kind on every operation, the emulator in another
 * process, judged by its ledger (no duplicate dispatch, no false success, every failure labelled
 * truthfully, no hang, no unhandled rejection, heap stable across two rounds). Needs dist/.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

describe("soak (small)", () => {
  it("12 sessions × 2 turns × 2 rounds under random faults: every invariant holds", async () => {
    expect(existsSync(join(ROOT, "dist", "index.js")), "dist/ is not built: run npx tsup").toBe(
      true,
    );
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          [
            "--expose-gc",
            join(ROOT, "bench", "soak.mjs"),
            "--sessions",
            "12",
            "--turns",
            "2",
            "--concurrency",
            "12",
            "--rounds",
            "2",
            "--seed",
            String(Date.now() % 100_000),
            "--deadline",
            "10000",
          ],
          { cwd: ROOT, timeout: 240_000 },
          (error, out) =>
            resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out }),
        );
      },
    );
    const last = stdout.trim().split("\n").at(-1) ?? "";
    const result = JSON.parse(last) as Record<string, number | boolean>;
    expect(result, stdout).toMatchObject({
      duplicates: 0,
      falseSuccesses: 0,
      hangs: 0,
      unhandled: 0,
      unlabelled: 0,
      mislabelled: 0,
      setupFailed: 0,
      keyLeaks: 0,
      tokenLeaks: 0,
      turns: 48,
      ok: true,
    });
    expect(code).toBe(0);
  }, 300_000);
});
