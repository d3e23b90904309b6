/**
 * Once per vitest run: a temp dir that test files share (the packed tarball, see
 * test/package/pack.ts `sharedPackage()`), removed when the run ends. Creating it costs nothing;
 * the tarball is packed only when a test asks for it.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "puffle-chat-run-"));
  project.provide("puffleShareDir", dir);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
