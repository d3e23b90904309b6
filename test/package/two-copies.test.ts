/**
 * Two installed copies of the package (an app and a library that each bring their own
 * `node_modules/puffle-chat`): an error thrown by one copy is `instanceof` the classes of the
 * other, by its own kind and the kinds above it only, through `PuffleError[Symbol.hasInstance]`
 * and the one `Symbol.for` brand. Plain errors and look-alikes are never matched.
 *
 * The package is built into a temp folder (tsup, JavaScript only: dist/ is left alone for the
 * other package tests) and copied into two package folders.
 */
import { cp, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Main from "../../src/index";
import type * as Realtime from "../../src/realtime/index";
import { exec, ROOT } from "./pack";

type Copy = { main: typeof Main; realtime: typeof Realtime };

const KEY = `pk_live_${"ab".repeat(32)}`;
const SESSION = "9f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";

let dir = "";
let a: Copy;
let b: Copy;

/** Copy the built package into `<dir>/<name>/node_modules/puffle-chat` and import its entries. */
async function install(built: string, name: string): Promise<Copy> {
  const target = join(dir, name, "node_modules", "puffle-chat");
  await mkdir(target, { recursive: true });
  await cp(join(ROOT, "package.json"), join(target, "package.json"));
  await cp(built, join(target, "dist"), { recursive: true });
  const load = (entry: string) => import(pathToFileURL(join(target, "dist", entry)).href);
  return { main: await load("index.js"), realtime: await load("realtime.js") };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "puffle-two-copies-"));
  const built = join(dir, "build");
  await exec(
    join(ROOT, "node_modules", ".bin", "tsup"),
    ["--silent", "--no-dts", "--out-dir", built],
    {
      cwd: ROOT,
    },
  );
  // The copies' own dependencies (ky, zod, …) resolve from the project's node_modules.
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  a = await install(built, "a");
  b = await install(built, "b");
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A client of `copy` whose every request is answered `status` with `body`. */
function answering(copy: Copy, status: number, body: unknown) {
  return new copy.main.PuffleClient({
    apiKey: KEY,
    maxRetries: 0,
    fetch: async () =>
      new Response(JSON.stringify(body), {
        status,
        headers: { "content-type": "application/json" },
      }),
  });
}

describe("two installed copies of the package", () => {
  it("are really two copies (two module graphs, two sets of classes)", () => {
    expect(a.main.NotFoundError).not.toBe(b.main.NotFoundError);
    expect(a.main.PuffleError).not.toBe(b.main.PuffleError);
  });

  it("an HTTP error thrown by copy A is instanceof copy B's classes, by its own kind only", async () => {
    const error = await answering(a, 404, { error: "Not found" })
      .getSession(SESSION)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(a.main.NotFoundError);
    expect(error).toBeInstanceOf(b.main.NotFoundError);
    expect(error).toBeInstanceOf(b.main.APIError);
    expect(error).toBeInstanceOf(b.main.PuffleError);
    expect(error).not.toBeInstanceOf(b.main.BadRequestError);
    expect(error).not.toBeInstanceOf(b.main.ConflictError);
    expect(error).not.toBeInstanceOf(b.main.APIConnectionError);
    expect(error).not.toBeInstanceOf(b.realtime.RealtimeError);
    expect(b.main.isAPIError(error, 404)).toBe(true);
    expect(b.main.isAPIError(error, 409)).toBe(false);
    expect(b.main.isPuffleError(error)).toBe(true);
  });

  it("and the other way round: copy B's SessionBusyError is copy A's ConflictError", async () => {
    const error = await answering(b, 409, { error: "Session is busy (chat_processing)" })
      .runTurn(SESSION, { message: "hi" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(a.main.SessionBusyError);
    expect(error).toBeInstanceOf(a.main.ConflictError);
    expect(error).toBeInstanceOf(a.main.APIError);
    expect(error).not.toBeInstanceOf(a.main.NotFoundError);
    expect(a.main.isAPIError(error, 409)).toBe(true);
    expect((error as Main.SessionBusyError).taskStatus).toBe("chat_processing");
  });

  it("the SDK's own errors and the realtime errors cross too", async () => {
    const invalid = await answering(a, 200, {})
      .getSession("not-a-uuid")
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(b.main.RequestValidationError);
    expect(invalid).not.toBeInstanceOf(b.main.ResponseValidationError);
    const stalled = new a.realtime.RealtimeStalledError({ runId: "run_1", stallTimeoutMs: 5 });
    expect(stalled).toBeInstanceOf(b.realtime.RealtimeStalledError);
    expect(stalled).toBeInstanceOf(b.realtime.RealtimeError);
    expect(stalled).toBeInstanceOf(b.main.PuffleError);
    expect(stalled).not.toBeInstanceOf(b.realtime.RealtimeNotFoundError);
    expect(stalled).not.toBeInstanceOf(b.main.APIError);
    expect(b.realtime.isRealtimeError(stalled, "stalled")).toBe(true);
  });

  it("plain errors, objects and look-alikes are instanceof none of them", () => {
    const lookAlike = Object.assign(new Error("x"), { name: "NotFoundError", status: 404 });
    for (const value of [new Error("x"), {}, null, undefined, "NotFoundError", lookAlike]) {
      expect(value instanceof b.main.PuffleError).toBe(false);
      expect(value instanceof b.main.NotFoundError).toBe(false);
      expect(b.main.isAPIError(value)).toBe(false);
    }
  });

  it("a user's own subclass keeps the ordinary instanceof", () => {
    class AppError extends b.main.PuffleError {}
    const mine = new AppError("mine");
    expect(mine).toBeInstanceOf(AppError);
    expect(mine).toBeInstanceOf(a.main.PuffleError);
    expect(mine.name).toBe("PuffleError");
    expect(new a.main.PuffleError("theirs")).not.toBeInstanceOf(AppError);
  });
});
