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
vitest run
step "API reference (typedoc, warnings are errors)"
typedoc --treatWarningsAsErrors --logLevel Warn
