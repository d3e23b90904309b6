/**
 * (c) Browser bundle sizes (esbuild, platform browser, minified, ESM, gzip level 9) of the built
 * entries and of @trigger.dev/react-hooks, measured in the same run.
 *
 * - `puffle-chat` (dist/index.js): `export *` of the whole entry, all-in-one (no splitting), and
 *   with splitting: the initial chunk alone (the realtime transports are dynamic imports) plus the
 *   lazy chunks. Also a typical app import (`{ PuffleClient }`, tree-shaken).
 * - `puffle-chat/realtime` (dist/realtime.js): `export *`, all-in-one.
 * - A page using `usePuffleChat` from `puffle-chat/react` (dist/react.js), react external.
 * - `@trigger.dev/react-hooks`: `export *`, react and react-dom external (an app has them anyway);
 *   the lazy `node:http2` import deep in its dependencies is left external too.
 *
 * No Node built-ins may be pulled in (esbuild fails on them for platform browser).
 *
 *   node bench/bundle-size.mjs
 */

import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { assertBuilt, emitResult, ROOT, round } from "./lib.mjs";

assertBuilt();
const KB = 1024;

async function measure(contents, { splitting = false, external = [], allowNode = false } = {}) {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: "js" },
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    splitting,
    outdir: join(ROOT, "bench", ".out"),
    write: false,
    metafile: true,
    external: allowNode ? [...external, "node:*"] : external,
    logLevel: "error",
  });
  const inputs = Object.keys(result.metafile.inputs);
  const nodeBuiltins = inputs.filter((p) => p.startsWith("node:") || p.includes("(disabled)"));
  if (nodeBuiltins.length > 0 && !allowNode)
    throw new Error(`Node built-ins in a browser bundle: ${nodeBuiltins}`);
  const files = result.outputFiles.map((f) => ({
    name: f.path.split("/").at(-1),
    minKB: round(f.contents.byteLength / KB, 1),
    gzipKB: round(gzipSync(f.contents, { level: 9 }).byteLength / KB, 1),
  }));
  // The biggest contributors to the entry output (bytes after minification, before gzip).
  const entryOutput = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  const top = Object.entries(entryOutput?.inputs ?? {})
    .map(([path, v]) => ({ path, minKB: round(v.bytesInOutput / KB, 1) }))
    .sort((a, b) => b.minKB - a.minKB)
    .slice(0, 8);
  return { files, inputs, top };
}

const byPackage = (top) => {
  const groups = {};
  for (const { path, minKB } of top) {
    const m = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const key = m ? m[1] : path;
    groups[key] = round((groups[key] ?? 0) + minKB, 1);
  }
  return groups;
};

const mainAll = await measure(`export * from "./dist/index.js";`);
const mainSplit = await measure(`export * from "./dist/index.js";`, { splitting: true });
const mainTypical = await measure(
  `import { PuffleClient } from "./dist/index.js"; globalThis.PuffleClient = PuffleClient;`,
);
// Issue 10's two targets, no splitting: a client and one call; the template linter alone (its
// own entry, puffle-chat/template).
const clientOneCall = await measure(
  `import { PuffleClient } from "./dist/index.js";
   const puffle = new PuffleClient({ apiKey: "pk_test_bundle", dangerouslyAllowBrowser: true });
   globalThis.session = puffle.getSession("3c90c3cc-0d44-4b50-8888-8dd25736052a");`,
);
const lintOnly = await measure(
  `import { lintDraft } from "./dist/template.js"; globalThis.lintDraft = lintDraft;`,
);
const realtime = await measure(`export * from "./dist/realtime.js";`);
const forbidden = realtime.inputs.filter((p) =>
  /@trigger\.dev\/|node_modules\/ky\/|^dist\/(index|testing|cli)\.js$/.test(p),
);
// A page using usePuffleChat (React external: the app has it anyway), as an app bundler sees it.
const reactPage = await measure(
  `import { usePuffleChat } from "./dist/react.js"; globalThis.usePuffleChat = usePuffleChat;`,
  { external: ["react", "react-dom", "react/jsx-runtime"] },
);
const reactForbidden = reactPage.inputs.filter((p) =>
  /@trigger\.dev\/|node_modules\/ky\/|node_modules\/zod\/|^dist\/(index|testing|cli|server)\.js$/.test(
    p,
  ),
);
const hooks = await measure(`export * from "@trigger.dev/react-hooks";`, {
  external: ["react", "react-dom", "react/jsx-runtime"],
  // @trigger.dev/core reaches @s2-dev/streamstore, which imports node:http2 lazily; left external
  // (an app bundler stubs it), so the figure is a lower bound.
  allowNode: true,
});

const initial = mainSplit.files.find((f) => f.name.startsWith("stdin"));
const lazy = mainSplit.files.filter((f) => f !== initial);
const result = {
  main: {
    allInOne: mainAll.files[0],
    splitInitial: initial,
    splitOtherChunks: lazy,
    typicalImportPuffleClient: mainTypical.files[0],
    clientOneCall: clientOneCall.files[0],
    clientOneCallTop: byPackage(clientOneCall.top),
    lintDraftOnly: lintOnly.files[0],
  },
  realtime: { allInOne: realtime.files[0], forbiddenInputs: forbidden },
  reactUsePuffleChat: { allInOne: reactPage.files[0], forbiddenInputs: reactForbidden },
  triggerReactHooks: { allInOne: hooks.files[0], external: "react, react-dom, node:* built-ins" },
};
result.main.topInputsAllInOne = mainAll.top;
result.main.byPackageTop = byPackage(mainAll.top);
result.targets = {
  issue10: `{ PuffleClient } + one call gzip <= 25 KB: ${clientOneCall.files[0].gzipKB} KB ${clientOneCall.files[0].gzipKB <= 25 ? "met" : "MISSED"}; { lintDraft } gzip <= 5 KB: ${lintOnly.files[0].gzipKB} KB ${lintOnly.files[0].gzipKB <= 5 ? "met" : "MISSED"}`,
  main: `all-in-one gzip <= 25 KB: ${result.main.allInOne.gzipKB <= 25 ? "met" : "MISSED"}; initial chunk with splitting <= 25 KB: ${initial.gzipKB <= 25 ? "met" : "MISSED"}`,
  realtime: `gzip <= 20 KB: ${result.realtime.allInOne.gzipKB <= 20 ? "met" : "MISSED"}; no @trigger.dev/ky/client inputs: ${forbidden.length === 0 ? "met" : "MISSED"}`,
  react: `usePuffleChat page gzip <= 20 KB: ${reactPage.files[0].gzipKB <= 20 ? "met" : "MISSED"}; no @trigger.dev/ky/zod/client inputs: ${reactForbidden.length === 0 ? "met" : "MISSED"}`,
};
console.log(
  `puffle-chat (main, export *): all-in-one ${result.main.allInOne.minKB} KB min / ${result.main.allInOne.gzipKB} KB gzip; ` +
    `with splitting: initial chunk ${initial.gzipKB} KB gzip + lazy chunks ${lazy.map((f) => `${f.name} ${f.gzipKB} KB`).join(", ")}`,
);
console.log(
  `puffle-chat typical import { PuffleClient } (tree-shaken): ${result.main.typicalImportPuffleClient.minKB} KB min / ${result.main.typicalImportPuffleClient.gzipKB} KB gzip`,
);
console.log(
  `puffle-chat/realtime: ${result.realtime.allInOne.minKB} KB min / ${result.realtime.allInOne.gzipKB} KB gzip; forbidden inputs: ${forbidden.length}`,
);
console.log(
  `page using usePuffleChat from puffle-chat/react (react external): ${reactPage.files[0].minKB} KB min / ${reactPage.files[0].gzipKB} KB gzip; forbidden inputs: ${reactForbidden.length}`,
);
console.log(
  `@trigger.dev/react-hooks (react, react-dom and node:* external): ${hooks.files[0].minKB} KB min / ${hooks.files[0].gzipKB} KB gzip`,
);
console.log(
  `import { PuffleClient } + one call (no splitting): ${clientOneCall.files[0].minKB} KB min / ${clientOneCall.files[0].gzipKB} KB gzip; largest: ${JSON.stringify(byPackage(clientOneCall.top))}`,
);
console.log(
  `import { lintDraft } from puffle-chat/template (no splitting): ${lintOnly.files[0].minKB} KB min / ${lintOnly.files[0].gzipKB} KB gzip`,
);
console.log(
  `targets: ${result.targets.issue10}; ${result.targets.main}; ${result.targets.realtime}; ${result.targets.react}`,
);
console.log("largest inputs of the main all-in-one bundle (KB min):", JSON.stringify(mainAll.top));
emitResult("bundleSize", result);
