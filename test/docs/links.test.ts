/**
 * The docs where package users look (issue 18): the README's relative links, and those of the
 * guides it links, resolve inside the packed tarball (an installed README is read from
 * node_modules, or on npm's page, where a link to a file the tarball lacks is dead); and the
 * README's Guides section, the one list of guides (scripts/guides.mjs), misses no guide file.
 */

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { guideFiles } from "../../scripts/guides.mjs";
import { ROOT, sharedPackage } from "../package/pack";

let files: string[] = [];

beforeAll(async () => {
  ({
    packed: { files },
  } = await sharedPackage());
}, 600_000);

/** The relative link targets of a Markdown file (no URL, no `#anchor`-only link, no code). */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => (m[1] ?? "").split("#")[0] ?? "")
    .filter((target) => target !== "" && !/^[a-z][\w+.-]*:/i.test(target));
}

describe("the docs in the installed package", () => {
  it("every relative link of the README and the shipped guides resolves in the tarball", () => {
    const shipped = files.filter((f) => f === "README.md" || f.startsWith("docs/"));
    expect(shipped).toEqual(expect.arrayContaining(["README.md", ...guideFiles(ROOT)]));
    const dead: string[] = [];
    for (const file of shipped.filter((f) => f.endsWith(".md"))) {
      for (const target of relativeLinks(readFileSync(join(ROOT, file), "utf8"))) {
        const path = normalize(join(dirname(file), target));
        if (!files.includes(path)) dead.push(`${file} → ${target}`);
      }
    }
    expect(dead).toEqual([]);
  });

  it("the README's Guides section lists every guide in docs/guides/, and only files that exist", () => {
    const onDisk = readdirSync(join(ROOT, "docs", "guides"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/guides/${f}`);
    const listed = guideFiles(ROOT);
    expect([...listed].sort()).toEqual(onDisk.sort());
    expect(new Set(listed).size).toBe(listed.length);
  });
});
