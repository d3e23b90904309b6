/**
 * (b) Cold import of `puffle-chat` (dist/index.js, through the package name) vs cold import of
 * `openai`, each in a fresh Node process, alternating, N times each. Two figures per run: the
 * time of the `import()` itself (measured inside the child) and the whole process wall time
 * (spawn to exit, which includes Node's own start-up). Target: SDK median <= openai median.
 *
 *   node bench/cold-import.mjs            (BENCH_QUICK=1 for 5 runs each)
 *
 * `openai` is one of the runtime tools (tools/runtimes/, `npm run tools:install`): it is imported
 * from there, puffle-chat from the project.
 */

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { assertBuilt, emitResult, median, QUICK, ROOT, round } from "./lib.mjs";

assertBuilt();
const RUNS = Number(process.env.BENCH_RUNS ?? (QUICK ? 5 : 15));
const MODULES = ["puffle-chat", "openai"];
/** Where each module's bare `import()` resolves from. */
const FROM = { "puffle-chat": ROOT, openai: join(ROOT, "tools", "runtimes") };
if (!existsSync(join(FROM.openai, "node_modules", "openai"))) {
  throw new Error("tools/runtimes/node_modules/openai is missing: run `npm run tools:install`.");
}

function once(spec) {
  const code = `const t0 = performance.now(); await import(${JSON.stringify(spec)}); process.stdout.write(String(performance.now() - t0));`;
  const t0 = performance.now();
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
    cwd: FROM[spec],
    encoding: "utf8",
  });
  const wall = performance.now() - t0;
  if (child.status !== 0) throw new Error(`import(${spec}) failed: ${child.stderr}`);
  return { importMs: Number(child.stdout.trim()), wallMs: wall };
}

// One untimed run each so the file system cache is warm for both ("cold" = fresh process).
for (const spec of MODULES) once(spec);
const samples = Object.fromEntries(MODULES.map((m) => [m, { importMs: [], wallMs: [] }]));
for (let i = 0; i < RUNS; i++) {
  const order = i % 2 === 0 ? MODULES : [...MODULES].reverse();
  for (const spec of order) {
    const r = once(spec);
    samples[spec].importMs.push(r.importMs);
    samples[spec].wallMs.push(r.wallMs);
  }
}
const result = { runs: RUNS, node: process.version };
for (const spec of MODULES) {
  result[spec] = {
    importMedianMs: round(median(samples[spec].importMs), 1),
    processMedianMs: round(median(samples[spec].wallMs), 1),
  };
}
const sdk = result["puffle-chat"];
const openai = result.openai;
result.target = "puffle-chat import median <= openai import median";
result.met = sdk.importMedianMs <= openai.importMedianMs;
console.log(
  `cold import x${RUNS} (fresh processes, alternating): puffle-chat import() median ${sdk.importMedianMs} ms ` +
    `(process ${sdk.processMedianMs} ms); openai import() median ${openai.importMedianMs} ms ` +
    `(process ${openai.processMedianMs} ms); target SDK <= openai: ${result.met ? "met" : "MISSED"}`,
);
emitResult("coldImport", result);
