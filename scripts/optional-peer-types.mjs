#!/usr/bin/env node
// After tsup: in dist/*.d.ts and *.d.cts, mark every import from an optional peer dependency
// (package.json peerDependenciesMeta) with `// @ts-ignore`. A project without that peer (most do
// not install msw) then typechecks our declarations with `skipLibCheck: false`: the peer's types
// degrade to `any` instead of "Cannot find module 'msw'". The build strips comments from the
// source, which is why this runs on the output. Idempotent.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const optional = Object.entries(pkg.peerDependenciesMeta ?? {})
  .filter(([, meta]) => meta?.optional)
  .map(([name]) => name);
const MARK = "// @ts-ignore optional peer dependency: its types are `any` when it is not installed";
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const fromPeer = new RegExp(
  `^(import|export)\\b.*\\bfrom ['"](${optional.map(escapeRegExp).join("|")})(/[^'"]*)?['"];?\\s*$`,
);

const dist = join(root, "dist");
let marked = 0;
for (const file of readdirSync(dist)) {
  if (!/\.d\.c?ts$/.test(file)) continue;
  const lines = readFileSync(join(dist, file), "utf8").split("\n");
  const out = [];
  for (const [i, line] of lines.entries()) {
    if (optional.length > 0 && fromPeer.test(line) && lines[i - 1] !== MARK) {
      out.push(MARK);
      marked += 1;
    }
    out.push(line);
  }
  writeFileSync(join(dist, file), out.join("\n"));
}
if (process.argv.includes("--verbose"))
  console.log(`optional-peer-types: marked ${marked} import(s)`);
