#!/usr/bin/env node
// The structure figures of issue 16, measured over src/ with the TypeScript compiler API:
//   - long functions: every function, method and arrow function, first token to last (leading
//     comments and TSDoc not counted), listed when over LONG lines; class bodies are measured the
//     same way and listed beside them, but the budgets apply to functions: a documented facade
//     class (PuffleClient, Emulator, ChatController) is a list of short methods and their TSDoc;
//   - import circles among src/ files (relative imports: static, type-only, re-exports, import());
//   - imports that break the layer order of docs/architecture.md (the LAYERS table below);
//   - the line count of src/client.ts.
// `node scripts/check-structure.mjs` prints the figures; `--check` also exits 1 when one is over
// its budget (BUDGET below); `--over N` lists the functions over N lines instead of LONG.
// A function's length is its span, comments inside included (the figures issue 16 quotes); the
// list also shows its code lines (lines holding code, not only comments or blanks), and `--code`
// applies the budgets to those instead.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");

const LONG = 100;
const BUDGET = { maxFunctionLines: 150, maxOverLong: 3, maxClientLines: 450 };

/**
 * What each area of src/ may import (besides itself). An area is the first folder under src/, or
 * the file's name for files at its top (client, index, version). Lower layers first: an import may
 * only point to the same or a lower layer. `typeOnly` areas may be imported with `import type` only.
 */
const LAYERS = {
  base: { may: [] }, // dependency-free root every entry shares
  version: { may: [] },
  template: { may: [] }, // no imports of ours
  realtime: { may: ["base"] }, // ships to browsers: never core/, never zod/ky
  core: { may: ["base", "template", "realtime", "version"] }, // public types, schemas, errors
  internal: { may: ["base", "template", "realtime", "version", "core"] },
  resources: { may: ["base", "template", "realtime", "version", "core", "internal"] },
  lib: { may: ["base", "template", "realtime", "version", "core", "internal", "resources"] },
  client: {
    may: ["base", "template", "realtime", "version", "core", "internal", "resources", "lib"],
  },
  index: {
    may: ["base", "template", "realtime", "version", "core", "internal", "resources", "lib"],
    also: ["client"],
  },
  // puffle-chat/types (the public types, type-only) and puffle-chat/openapi (the generated types)
  types: {
    may: ["base", "template", "realtime", "version", "core", "internal", "resources", "lib"],
    also: ["client"],
  },
  openapi: { may: [] },
  server: {
    may: ["base", "template", "realtime", "version", "core", "internal", "resources", "lib"],
    also: ["client", "index"],
  },
  // puffle-chat/mcp: the MCP server (its SDK an optional peer, imported only here)
  mcp: {
    may: ["base", "template", "realtime", "version", "core", "internal", "resources", "lib"],
    also: ["client", "index"],
  },
  // puffle-chat/campaign (Node only): the dispatch stores, the planner, the driver's error
  campaign: {
    may: ["base", "template", "realtime", "version", "core", "internal", "resources", "lib"],
  },
  cli: {
    may: ["base", "template", "realtime", "version", "core", "internal", "resources", "lib"],
    also: ["client", "index", "server", "testing", "campaign", "mcp"],
  },
  otel: { may: ["base", "core", "version"] }, // puffle-chat/otel: spans from the tracing channels
  // the job-engine adapters: engines/ (their engine-neutral node steps), pg-boss/, trigger/
  engines: {
    may: ["base", "template", "realtime", "version", "core", "internal", "resources", "lib"],
    also: ["client"],
  },
  "pg-boss": {
    may: ["base", "template", "realtime", "version", "core", "internal", "resources", "lib"],
    also: ["client", "engines"],
  },
  trigger: {
    may: ["base", "template", "realtime", "version", "core", "internal", "resources", "lib"],
    also: ["client", "engines"],
  },
  react: { may: ["realtime"] }, // the chat controller; no core, no client
  testing: { may: ["base"], typeOnly: ["realtime"] }, // the other side of the wire: no client code
};

const args = process.argv.slice(2);
const check = args.includes("--check");
const byCode = args.includes("--code");
const overArg = args.indexOf("--over");
const over = overArg >= 0 ? Number(args[overArg + 1]) : LONG;

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out.sort();
}

const files = sourceFiles(src);
const parsed = new Map(
  files.map((file) => [
    file,
    ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true),
  ]),
);
const rel = (file) => relative(root, file);

// --- long functions -------------------------------------------------------------------------

const FUNCTION_KINDS = new Set([
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
]);

function nameOf(node) {
  if (node.name && ts.isIdentifier(node.name)) {
    const owner = node.parent && ts.isClassLike(node.parent) ? node.parent.name?.text : undefined;
    return owner ? `${owner}.${node.name.text}` : node.name.text;
  }
  if (node.name) return node.name.getText();
  if (ts.isConstructorDeclaration(node)) return `${node.parent.name?.text ?? "class"}.constructor`;
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)))
    return parent.name.getText();
  if (parent && ts.isPropertyDeclaration(parent)) return parent.name.getText();
  if (parent && ts.isCallExpression(parent))
    return `(callback of ${parent.expression.getText().slice(0, 40)})`;
  return "(anonymous)";
}

/** The 0-based lines of a file on which some syntax node starts or ends (so: not only comments). */
function linesWithCode(sf) {
  const lines = new Set();
  const visit = (node) => {
    if (node.kind !== ts.SyntaxKind.SourceFile && node.getWidth(sf) > 0) {
      lines.add(sf.getLineAndCharacterOfPosition(node.getStart(sf)).line);
      lines.add(sf.getLineAndCharacterOfPosition(node.getEnd() - 1).line);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return lines;
}

const functions = [];
for (const [file, sf] of parsed) {
  const code = linesWithCode(sf);
  const visit = (node) => {
    if (FUNCTION_KINDS.has(node.kind) && (node.body || ts.isClassLike(node))) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const line = start + 1;
      let codeLines = 0;
      for (let l = start; l <= end; l++) if (code.has(l)) codeLines++;
      const span = end - start + 1;
      functions.push({
        isClass: ts.isClassLike(node),
        file: rel(file),
        line,
        name: nameOf(node),
        span,
        codeLines,
        lines: byCode ? codeLines : span,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
functions.sort((a, b) => b.lines - a.lines);
const classes = functions.filter((f) => f.isClass);
const callables = functions.filter((f) => !f.isClass);

// --- imports ----------------------------------------------------------------------------------

function resolveImport(from, specifier) {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(from), specifier.replace(/\.js$/, ""));
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, "index.ts"), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Every relative import of a file: { target, typeOnly, line }. */
function importsOf(file, sf) {
  const out = [];
  const add = (literal, typeOnly) => {
    const target = resolveImport(file, literal.text);
    if (!target?.startsWith(src)) return;
    const line = sf.getLineAndCharacterOfPosition(literal.getStart(sf)).line + 1;
    out.push({ target, typeOnly, line });
  };
  const visit = (node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const typeOnly = ts.isImportDeclaration(node)
        ? node.importClause?.isTypeOnly === true ||
          (node.importClause?.namedBindings &&
            ts.isNamedImports(node.importClause.namedBindings) &&
            !node.importClause.name &&
            node.importClause.namedBindings.elements.length > 0 &&
            node.importClause.namedBindings.elements.every((e) => e.isTypeOnly))
        : node.isTypeOnly;
      add(node.moduleSpecifier, Boolean(typeOnly));
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0], false);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const graph = new Map([...parsed].map(([file, sf]) => [file, importsOf(file, sf)]));

/** Import circles: the strongly connected components of the import graph (Tarjan). */
function circles() {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const connect = (v) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const { target: w } of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), indices.get(w)));
    }
    if (low.get(v) !== indices.get(v)) return;
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    const selfLoop = (graph.get(v) ?? []).some((i) => i.target === v);
    if (component.length > 1 || selfLoop) found.push(component.map(rel).sort());
  };
  for (const file of graph.keys()) if (!indices.has(file)) connect(file);
  return found;
}

function areaOf(file) {
  const [first, ...rest] = relative(src, file).split(/[\\/]/);
  return rest.length === 0 ? first.replace(/\.tsx?$/, "") : first;
}

function layerViolations() {
  const out = [];
  for (const [file, imports] of graph) {
    const from = areaOf(file);
    const rule = LAYERS[from];
    for (const { target, typeOnly, line } of imports) {
      const to = areaOf(target);
      if (to === from) continue;
      const allowed =
        rule &&
        (rule.may.includes(to) ||
          rule.also?.includes(to) ||
          (typeOnly && rule.typeOnly?.includes(to)));
      if (!allowed) {
        const why = rule ? `${from} may not import ${to}` : `area "${from}" is not in LAYERS`;
        out.push(`${rel(file)}:${line} -> ${rel(target)}${typeOnly ? " (type)" : ""}: ${why}`);
      }
    }
  }
  return out;
}

// --- report -----------------------------------------------------------------------------------

const listed = callables.filter((f) => f.lines > over);
const overLong = callables.filter((f) => f.lines > LONG);
const overMax = callables.filter((f) => f.lines > BUDGET.maxFunctionLines);
const longClasses = classes.filter((f) => f.lines > over);
const foundCircles = circles();
const violations = layerViolations();
const clientFile = join(src, "client.ts");
const clientLines = existsSync(clientFile)
  ? readFileSync(clientFile, "utf8").split("\n").length - 1
  : 0;

console.log(
  `functions over ${over} ${byCode ? "code lines" : "lines"} (${listed.length}); lines (code lines):`,
);
for (const f of listed)
  console.log(
    `  ${String(f.span).padStart(4)} (${String(f.codeLines).padStart(3)})  ${f.file}:${f.line} ${f.name}`,
  );
console.log(
  `class bodies over ${over} ${byCode ? "code lines" : "lines"} (${longClasses.length}; not under the function budgets):`,
);
for (const f of longClasses)
  console.log(
    `  ${String(f.span).padStart(4)} (${String(f.codeLines).padStart(3)})  ${f.file}:${f.line} ${f.name}`,
  );
console.log(`import circles (${foundCircles.length}):`);
for (const c of foundCircles) console.log(`  ${c.join(" <-> ")}`);
console.log(`layer violations (${violations.length}):`);
for (const v of violations) console.log(`  ${v}`);
console.log(`src/client.ts: ${clientLines} lines`);
console.log(
  `summary (${byCode ? "code lines" : "lines"}): ${callables.length} functions, ${overLong.length} over ${LONG} (budget ${BUDGET.maxOverLong}), ` +
    `${overMax.length} over ${BUDGET.maxFunctionLines} (budget 0), longest ${callables[0]?.lines ?? 0}; ` +
    `${classes.length} class bodies, ${classes.filter((f) => f.lines > BUDGET.maxFunctionLines).length} over ${BUDGET.maxFunctionLines}; ` +
    `${foundCircles.length} circles; ${violations.length} layer violations; client.ts ${clientLines} (budget ${BUDGET.maxClientLines})`,
);

if (check) {
  const failures = [];
  if (overMax.length > 0)
    failures.push(`${overMax.length} functions over ${BUDGET.maxFunctionLines} lines`);
  if (overLong.length > BUDGET.maxOverLong)
    failures.push(
      `${overLong.length} functions over ${LONG} lines (at most ${BUDGET.maxOverLong})`,
    );
  if (foundCircles.length > 0) failures.push(`${foundCircles.length} import circles`);
  if (violations.length > 0) failures.push(`${violations.length} layer violations`);
  if (clientLines > BUDGET.maxClientLines)
    failures.push(`src/client.ts has ${clientLines} lines (at most ${BUDGET.maxClientLines})`);
  if (failures.length > 0) {
    console.error(`check-structure: ${failures.join("; ")}`);
    process.exit(1);
  }
}
