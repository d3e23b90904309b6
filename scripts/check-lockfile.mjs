#!/usr/bin/env node
// Fails (exit 1), naming the packages, when package-lock.json lacks an optional dependency that a
// locked package declares, or locks a version outside the declared range. Such a lockfile was
// written by `npm install` over an existing node_modules (which records only this machine's
// platform binaries) and makes `npm ci` refuse it on every other machine. See the README,
// Development: changing a dependency.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// semver is npm's own range logic (a dependency of the toolchain, present in every install here).
const semver = createRequire(join(root, "package.json"))("semver");

// Usage: node scripts/check-lockfile.mjs [path/to/package-lock.json] (default: the project's;
// npm test checks tools/runtimes/package-lock.json too).
const lockPath = process.argv[2] ?? join(root, "package-lock.json");
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
// The package.json beside the lockfile (the root one, or tools/runtimes/'s); a lockfile alone (a
// copy under test) is checked against the project's.
const besideLock = join(dirname(lockPath), "package.json");
const pkgPath = existsSync(besideLock) ? besideLock : join(root, "package.json");
const pkg = JSON.parse(readFileSync(pkgPath, "utf8"));
if (lock.lockfileVersion < 2 || !lock.packages) {
  console.error(
    `package-lock.json: lockfileVersion ${lock.lockfileVersion} is not supported (need 2 or 3)`,
  );
  process.exit(1);
}
const packages = lock.packages;

/** Where npm resolves `name` from the package installed at `from` (node_modules walk upwards). */
function resolveFrom(from, name) {
  let dir = from;
  for (;;) {
    const candidate = dir === "" ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === "") return undefined;
    const cut = dir.lastIndexOf("/node_modules/");
    dir = cut === -1 ? "" : dir.slice(0, cut);
  }
}

const problems = [];
const label = (path) => {
  const entry = packages[path];
  const name = entry.name ?? path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
  return path === "" ? `${pkg.name} (root)` : `${name}@${entry.version}`;
};
for (const [path, entry] of Object.entries(packages)) {
  if (entry.link) continue;
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const at = resolveFrom(path, name);
    if (!at) {
      problems.push(`missing: ${name}@${range} (optional dependency of ${label(path)})`);
      continue;
    }
    const version = packages[at].version;
    if (
      version &&
      semver.validRange(range) &&
      !semver.satisfies(version, range, { includePrerelease: true })
    ) {
      problems.push(`invalid: ${name}@${version} locked, ${label(path)} wants ${range}`);
    }
  }
}
// The root entry must match package.json, or `npm ci` refuses the lockfile outright.
for (const field of [
  "dependencies",
  "devDependencies",
  "optionalDependencies",
  "peerDependencies",
]) {
  const want = pkg[field] ?? {};
  const have = packages[""]?.[field] ?? {};
  for (const [name, range] of Object.entries(want)) {
    if (have[name] !== range)
      problems.push(
        `out of date: ${field}.${name} is ${range} in package.json, ${have[name] ?? "absent"} in the lockfile`,
      );
  }
  for (const name of Object.keys(have)) {
    if (!(name in want))
      problems.push(`out of date: ${field}.${name} is in the lockfile but not in package.json`);
  }
}

if (problems.length > 0) {
  console.error(
    `package-lock.json would fail \`npm ci\` on another machine (${problems.length} problem(s)):`,
  );
  for (const p of problems) console.error(`  ${p}`);
  console.error(
    "Regenerate it from nothing: rm -rf node_modules package-lock.json && npm install (see README, Development).",
  );
  process.exit(1);
}
const optional = Object.values(packages).filter((e) => e.optional).length;
console.log(
  `package-lock.json: ${Object.keys(packages).length - 1} packages, ${optional} optional platform packages, all declared optional dependencies locked`,
);
