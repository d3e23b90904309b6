#!/usr/bin/env bash
# `npm test`: every check the project has, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n=== %s\n' "$*"; }

step "format and lint (biome)"
biome check .
step "OpenAPI lint (redocly)"
redocly lint openapi.yaml --format=stylish
step "generated/ is up to date with openapi.yaml"
node scripts/check-generated.mjs
step "typecheck (src, test, examples, bench)"
tsc --noEmit
step "build (tsup)"
tsup --silent
step "tests (vitest)"
results=$(mktemp)
trap 'rm -f "$results"' EXIT
vitest run --reporter=default --reporter=json --outputFile.json="$results"
node -e 'const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")); console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)' "$results"
step "API reference (typedoc, warnings are errors)"
typedoc --treatWarningsAsErrors --logLevel Warn
