/**
 * The packed declarations in a user's project, typechecked by tsc with `skipLibCheck: false` (so
 * dist/*.d.ts themselves are checked) and without the optional peers (msw, @trigger.dev/sdk,
 * react are not installed there), under every moduleResolution a project may use: node16,
 * bundler, and node10 (`"moduleResolution": "node"`, which ignores `exports`: the subpaths resolve
 * through `typesVersions`).
 */

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { exec, NODE, ROOT, type SharedPackage, sharedPackage } from "./pack";

const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

/** Uses every library entry; the canary proves the types are real (not `any`). */
const PROGRAM = `import { PuffleClient, VERSION } from "puffle-chat";
import { subscribeToChat, isRealtimeError } from "puffle-chat/realtime";
import { createEmulator, type MswHandler } from "puffle-chat/testing";
import * as server from "puffle-chat/server";
import { createFileStore, type DispatchStore } from "puffle-chat/campaign";
import * as react from "puffle-chat/react";
import { lintDraft } from "puffle-chat/template";
import type { SkeletonBlock, TaskStatus } from "puffle-chat/types";
import type { components } from "puffle-chat/openapi";

export async function use(): Promise<string> {
  const emulator = createEmulator();
  const client = new PuffleClient({ apiKey: "pk_test", baseURL: "http://127.0.0.1:1" });
  const handlers: MswHandler[] = [];
  const store: DispatchStore = createFileStore("state.json");
  for await (const event of subscribeToChat({ runId: "run_1", publicAccessToken: "tok" })) {
    if (event.type === "delta") return event.text;
  }
  // @ts-expect-error canary: apiKey must be a string (fails as "unused" if the types were any)
  new PuffleClient({ apiKey: 42 });
  const block: SkeletonBlock = { name: "hook" };
  const status: TaskStatus = "chat_processing";
  const wire: components["schemas"]["SkeletonBlock"] = { name: "hook" };
  // @ts-expect-error canary: the generated types are real too (a block's name is a string)
  const bad: components["schemas"]["SkeletonBlock"] = { name: 42 };
  return [VERSION, typeof client, isRealtimeError(null), handlers.length, typeof emulator,
    Object.keys(server).length, Object.keys(react).length, lintDraft({ body: "Hi" }).ok,
    block.name, status, wire.name, bad, typeof store.get].join();
}
`;

const MODES = {
  node16: { module: "node16", moduleResolution: "node16", file: "check.mts" },
  bundler: { module: "esnext", moduleResolution: "bundler", file: "check.ts" },
  node10: { module: "commonjs", moduleResolution: "node10", file: "check.ts" },
} as const;

let pkg: SharedPackage;
beforeAll(async () => {
  pkg = await sharedPackage();
}, 300_000);

describe("the packed declarations in a project without the optional peers", () => {
  it("has none of the optional peers installed (what this test relies on)", async () => {
    const installed = JSON.parse(
      await readFile(join(pkg.consumer, "node_modules", ".package-lock.json"), "utf8"),
    ) as { packages: Record<string, unknown> };
    const names = Object.keys(installed.packages);
    for (const peer of ["msw", "@trigger.dev/sdk", "react"]) {
      expect(names).not.toContain(`node_modules/${peer}`);
    }
  });

  for (const [mode, settings] of Object.entries(MODES)) {
    it(`typechecks with skipLibCheck false under moduleResolution ${mode}`, async () => {
      const dir = join(pkg.consumer, `types-${mode}`);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, settings.file), PROGRAM);
      await writeFile(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            target: "es2022",
            lib: ["es2022", "dom", "dom.iterable", "esnext.asynciterable"],
            module: settings.module,
            moduleResolution: settings.moduleResolution,
            // Node's own types (the server entry uses node:http), from this project.
            typeRoots: [join(ROOT, "node_modules", "@types")],
            types: ["node"],
          },
          files: [settings.file],
        }),
      );
      const result = await exec(NODE, [TSC, "-p", "tsconfig.json"], { cwd: dir }).catch(
        (error: Error) => ({ stdout: error.message, stderr: "" }),
      );
      expect(result.stdout.trim()).toBe("");
    }, 180_000);
  }
});
