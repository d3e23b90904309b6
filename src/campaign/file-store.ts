/**
 * `createFileStore(path)`: a {@link DispatchStore} in one JSON file, for scripts and the command
 * line. Every `set` rewrites the file durably before it resolves (a temporary file, fsync, rename),
 * so a SIGKILL at any point leaves either the old or the new content, never half of it.
 *
 * @module
 */
import { open, readFile, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { DispatchStore } from "../core/draft-types";

/**
 * A store kept in the JSON file at `path` (created on the first write). One process uses it at a
 * time: writes are serialised within the process, not across processes.
 *
 * @throws {SyntaxError} from `get`/`set` when the file exists but is not a JSON object.
 * @example
 * ```ts
 * import { createFileStore } from "puffle-chat/campaign";
 * const store = createFileStore("./draft-state.json");
 * await puffle.draftCampaign(campaignId, { brief: "Q3 outreach to VPs of Sales", store });
 * ```
 */
export function createFileStore(path: string): DispatchStore {
  let values: Promise<Record<string, unknown>> | undefined;
  let writing: Promise<void> = Promise.resolve();
  const load = () => {
    values ??= readValues(path);
    return values;
  };
  return {
    get: async (key) => (await load())[key],
    set: (key, value) => {
      const next = writing.then(async () => {
        const current = await load();
        if (value === null || value === undefined) delete current[key];
        else current[key] = JSON.parse(JSON.stringify(value));
        await writeDurably(path, JSON.stringify(current, null, 2));
      });
      writing = next.catch(() => undefined);
      return next;
    },
  };
}

async function readValues(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return {};
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SyntaxError(`${path} is not a puffle-chat state file (a JSON object)`);
  }
  return parsed as Record<string, unknown>;
}

/** Write `text` to a temporary file beside `path`, flush it to disk, then rename it over `path`. */
async function writeDurably(path: string, text: string): Promise<void> {
  const temp = join(
    dirname(path),
    `.${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2)}.tmp`,
  );
  const file = await open(temp, "w");
  try {
    await file.writeFile(text, "utf8");
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
}
