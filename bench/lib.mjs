/**
 * Shared helpers of the benchmarks: statistics, machine facts, the one-line result protocol.
 * Benchmarks import the built package (dist/, through the package's own name), never src/.
 */

import { existsSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Throw a clear error when dist/ is missing (the benchmarks measure the built package). */
export function assertBuilt() {
  for (const f of ["index.js", "realtime.js", "testing.js"]) {
    if (!existsSync(join(ROOT, "dist", f))) {
      throw new Error(`dist/${f} is missing: build first with \`npx tsup\` (npm run build).`);
    }
  }
}

/** True when BENCH_QUICK=1: smaller, faster runs. */
export const QUICK = process.env.BENCH_QUICK === "1";

/** The q-quantile (0..1) of numbers, nearest-rank on a sorted copy. */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** Median (mean of the two middle values for an even count). */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Arithmetic mean. */
export function mean(values) {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Round to `digits` decimals. */
export function round(value, digits = 2) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Facts about this machine for the report. */
export function machine() {
  const list = cpus();
  return {
    nproc: list.length,
    cpu: list[0]?.model ?? "unknown",
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** Print the machine-readable result line that bench/run.mjs collects (last line of stdout). */
export function emitResult(name, result) {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ name, ...result })}\n`);
}
