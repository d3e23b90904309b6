// `npm run docs`: build the API reference, a static site, with typedoc (typedoc.config.mjs;
// warnings are errors), then say where it is. Extra arguments go to typedoc (`-- --out DIR`).
// npm test builds it the same way, and the release workflow uploads the folder as an artifact.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import config from "../typedoc.config.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const outFlag = args.indexOf("--out");
const out = resolve(ROOT, outFlag >= 0 ? (args[outFlag + 1] ?? "") : (config.out ?? "docs"));

const typedoc = join(ROOT, "node_modules", "typedoc", "bin", "typedoc");
const result = spawnSync(process.execPath, [typedoc, "--treatWarningsAsErrors", ...args], {
  cwd: ROOT,
  stdio: "inherit",
});
if (result.status !== 0) {
  console.error(`typedoc failed (exit ${result.status ?? result.signal}): nothing to open.`);
  process.exit(result.status ?? 1);
}
const pages = readdirSync(out, { recursive: true }).filter((f) => String(f).endsWith(".html"));
const shown = relative(process.cwd(), out) || ".";
console.log(`API reference: ${pages.length} pages in ${shown}/; open ${join(shown, "index.html")}`);
