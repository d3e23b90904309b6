#!/usr/bin/env node
// After `changeset version` bumps package.json: write the same version into src/version.ts (a
// test keeps the two equal). Run by `npm run version-packages`, which the release workflow uses.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const file = join(root, "src", "version.ts");
const source = readFileSync(file, "utf8");
const next = source.replace(
  /export const VERSION = "[^"]*";/,
  `export const VERSION = "${version}";`,
);
if (!next.includes(`export const VERSION = "${version}";`)) {
  console.error('src/version.ts: no `export const VERSION = "...";` line to update');
  process.exit(1);
}
writeFileSync(file, next);
console.log(`src/version.ts: VERSION = "${version}"`);
