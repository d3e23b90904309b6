#!/usr/bin/env bash
# `npm test`: every check the project has, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n=== %s\n' "$*"; }

step "lockfile installs anywhere (every declared optional platform package locked)"
node scripts/check-lockfile.mjs
node scripts/check-lockfile.mjs tools/runtimes/package-lock.json
# The runtimes some tests drive (Bun, Deno, workerd/miniflare, Prism, openai) are a package of their
# own, kept out of the root devDependencies (README, Development): install them when missing or
# older than their lockfile.
tools=tools/runtimes
if [ ! -f "$tools/node_modules/.package-lock.json" ] ||
  [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; then
  step "runtime tools missing or out of date: installing them into $tools/ (npm run tools:install)"
  npm run --silent tools:install
fi
step "format and lint (biome)"
biome check .
step "OpenAPI lint (redocly)"
redocly lint openapi.yaml --format=stylish
step "generated/ is up to date with openapi.yaml"
node scripts/check-generated.mjs
step "structure of src/ (no import circles, no import up a layer, short functions, client.ts at most 450 lines)"
node scripts/check-structure.mjs --check
step "typecheck (src, test, examples, bench)"
tsc --noEmit
step "build (tsup, then optional-peer imports marked in the declarations)"
tsup --silent
node scripts/optional-peer-types.mjs
step "npm publish --dry-run (any warning fails)"
# A placeholder token: the dry run checks the package, and without one npm warns about logging in.
publish_log=$(npm publish --dry-run --ignore-scripts "--//registry.npmjs.org/:_authToken=dry-run-only" 2>&1)
if grep -i "warn" <<<"$publish_log"; then exit 1; fi
tail -n 1 <<<"$publish_log"
step "API report is up to date (api-extractor: etc/*.api.md; update with npm run api-report)"
node scripts/api-report.mjs
# The Node the package promises as its floor (engines.node), installed as the devDependency alias
# node-floor: the suites that talk to the emulator over real HTTP run on it too (undici differs).
FLOOR=node_modules/node-floor/bin/node
FLOOR_SUITES=(test/integration test/lib/wait test/realtime)
node scripts/check-floor.mjs
results=$(mktemp)
floor_results=$(mktemp)
trap 'rm -f "$results" "$floor_results"' EXIT
failed=0
step "tests (vitest, Node $(node --version))"
vitest run --reporter=default --reporter=json --outputFile.json="$results" || failed=1
step "tests on the Node floor ($("$FLOOR" --version)): ${FLOOR_SUITES[*]}"
"$FLOOR" node_modules/vitest/vitest.mjs run "${FLOOR_SUITES[@]}" \
  --reporter=default --reporter=json --outputFile.json="$floor_results" || failed=1
node scripts/vitest-summary.mjs "$results" "$floor_results"
if [ "$failed" -ne 0 ]; then exit 1; fi
step "API reference (typedoc, warnings are errors; the static site the release workflow uploads)"
node scripts/docs.mjs
