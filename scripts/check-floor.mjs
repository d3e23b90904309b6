#!/usr/bin/env node
// The floor run of `npm test` must test the exact version engines.node promises: node-floor (the
// `node` package under an alias) must be that version, or the promise is untested.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const floor = JSON.parse(readFileSync(join(root, "node_modules/node-floor/package.json"), "utf8"));
const engines = pkg.engines?.node ?? "";
const match = /^>=\s*(\d+)\.(\d+)(?:\.(\d+))?$/.exec(engines);
if (!match) {
  console.error(`engines.node must be ">=X.Y[.Z]" so the floor can be tested (is "${engines}")`);
  process.exit(1);
}
const promised = `${match[1]}.${match[2]}.${match[3] ?? 0}`;
const alias = pkg.devDependencies?.["node-floor"] ?? "";
if (floor.version !== promised || alias !== `npm:node@${promised}`) {
  console.error(
    `engines.node is "${engines}" but node-floor is ${floor.version} (devDependency "${alias}"): ` +
      `set "node-floor": "npm:node@${promised}" so npm test runs the promised floor`,
  );
  process.exit(1);
}
console.log(`node floor: engines.node "${engines}" = node-floor ${floor.version}`);
