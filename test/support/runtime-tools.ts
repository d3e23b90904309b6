/**
 * The runtimes and heavy tools some tests drive (Bun, Deno, workerd through miniflare, Stoplight
 * Prism): a package of their own, tools/runtimes/ (its own package.json and lockfile), installed
 * apart from the root devDependencies so a contributor's `npm install` stays small.
 * `npm run tools:install` installs them; `npm test` and `.ci/run` do it on demand.
 *
 * Tests reach them only through this module: binaries by path, miniflare by a dynamic import
 * typed here with the little the tests use (so `tsc` passes without the tools installed).
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "../package/pack";

/** Where the tools are installed. */
export const TOOLS_MODULES = join(ROOT, "tools", "runtimes", "node_modules");

/** The path of a file of an installed tool; throws, saying how to install, when it is missing. */
export function toolPath(...parts: string[]): string {
  const path = join(TOOLS_MODULES, ...parts);
  if (!existsSync(path)) {
    throw new Error(
      `${join("tools/runtimes/node_modules", ...parts)} is missing: the runtime tools (Bun, Deno, ` +
        "workerd, miniflare, Prism) are installed apart from the root devDependencies. Run " +
        "`npm run tools:install` (npm test does it for you).",
    );
  }
  return path;
}

/** The executable of `bun` or `deno`. */
export function toolBin(name: "bun" | "deno"): string {
  return toolPath(".bin", name);
}

/** What the tests use of a miniflare module script. */
export interface MiniflareModule {
  type: "ESModule";
  path: string;
  contents: string;
}

/** What the tests use of miniflare's `Miniflare` (miniflare 4). */
export interface MiniflareInstance {
  readonly ready: Promise<URL>;
  dispatchFetch(url: string, init?: RequestInit): Promise<Response>;
  dispose(): Promise<void>;
}

/** Miniflare's constructor, with the options the tests pass. */
export type MiniflareConstructor = new (options: {
  modules: MiniflareModule[];
  compatibilityDate: string;
  bindings?: Record<string, string>;
}) => MiniflareInstance;

/** Load miniflare from tools/runtimes/. */
export async function loadMiniflare(): Promise<MiniflareConstructor> {
  const entry = toolPath("miniflare", "package.json");
  const { createRequire } = await import("node:module");
  const resolved = createRequire(entry).resolve("miniflare");
  const mod = (await import(pathToFileURL(resolved).href)) as { Miniflare: MiniflareConstructor };
  return mod.Miniflare;
}
