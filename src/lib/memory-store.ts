/**
 * A {@link DispatchStore} in memory: what `draftCampaign` uses within one call when it is given
 * none (intents then survive a lost answer, not a crash), and a store for tests.
 *
 * @module
 */
import type { DispatchStore } from "../core/draft-types";

/**
 * A store in memory: values are copied in and out as JSON, like a durable store would.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from "puffle-chat/campaign";
 * const store = createMemoryStore();
 * await store.set("k", { a: 1 });
 * await store.get("k"); // { a: 1 }
 * ```
 */
export function createMemoryStore(): DispatchStore {
  const values = new Map<string, string>();
  return {
    get: async (key) => {
      const text = values.get(key);
      return text === undefined ? undefined : JSON.parse(text);
    },
    set: async (key, value) => {
      if (value === null || value === undefined) values.delete(key);
      else values.set(key, JSON.stringify(value));
    },
  };
}
