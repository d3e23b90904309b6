/**
 * The dispatch stores of `puffle-chat/campaign`: a file store survives its process (a new store on
 * the same path reads what the last one wrote), writes whole files (never half of one), refuses a
 * file that is not its own, and clears a key with null; the memory store copies values as JSON.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createFileStore, createMemoryStore } from "../../src/campaign/index";

const dir = mkdtempSync(join(tmpdir(), "puffle-stores-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("createFileStore", () => {
  it("a new store on the same path reads what the last one wrote; null clears a key", async () => {
    const path = join(dir, "state.json");
    const first = createFileStore(path);
    await first.set("a", { n: 1 });
    await Promise.all([first.set("b", [1, 2]), first.set("c", "x")]); // serialised, none lost
    await first.set("c", null);
    const second = createFileStore(path);
    expect(await second.get("a")).toEqual({ n: 1 });
    expect(await second.get("b")).toEqual([1, 2]);
    expect(await second.get("c")).toBeUndefined();
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ a: { n: 1 }, b: [1, 2] });
    // Written through a temporary file renamed over it: none is left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("a missing file is an empty store; a file that is not a JSON object is refused", async () => {
    expect(await createFileStore(join(dir, "none.json")).get("a")).toBeUndefined();
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "[1, 2]");
    await expect(createFileStore(bad).get("a")).rejects.toThrow(/not a puffle-chat state file/);
  });

  it("a write that fails rejects (the driver then sends nothing) and leaves the file as it was", async () => {
    const store = createFileStore(join(dir, "missing-dir", "state.json"));
    await expect(store.set("a", 1)).rejects.toThrow(/ENOENT/);
    expect(await store.get("a")).toBeUndefined();
  });
});

describe("createMemoryStore", () => {
  it("copies values in and out as JSON", async () => {
    const store = createMemoryStore();
    const value = { list: [1] };
    await store.set("k", value);
    value.list.push(2);
    expect(await store.get("k")).toEqual({ list: [1] });
    await store.set("k", null);
    expect(await store.get("k")).toBeUndefined();
  });
});
