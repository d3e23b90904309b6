// The task guides, in the order readers meet them: the links of the README's "## Guides" section
// (`- [Title](docs/guides/<name>.md)`). That section is the one list: typedoc renders these files
// as the reference's guides (typedoc.config.mjs), the reference's landing page lists them
// (scripts/typedoc-plugin.mjs), the tarball ships docs/guides/ whole (package.json `files`), and
// test/docs/links.test.ts fails on a guide file the list misses or a link that does not resolve.
// Adding a guide is one file in docs/guides/ and one line in the README.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The guide files (`docs/guides/….md`, relative to `root`) the README's Guides section links, in
 * its order.
 * @param {string} root the project root
 * @returns {string[]}
 */
export function guideFiles(root) {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const start = readme.indexOf("\n## Guides\n");
  if (start < 0) throw new Error("README.md has no `## Guides` section (scripts/guides.mjs)");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/\]\((docs\/guides\/[\w.-]+\.md)\)/g)].map((m) => m[1]);
}
