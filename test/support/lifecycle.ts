import { expect } from "vitest";

/** Lifecycle stage of a Trigger.dev run status: queued, dequeued, executing/waiting, finished. */
export function lifecycleStage(status: string): number {
  if (["QUEUED", "PENDING_VERSION", "DELAYED"].includes(status)) return 0;
  if (status === "DEQUEUED") return 1;
  if (["EXECUTING", "WAITING", "REATTEMPTING", "FROZEN"].includes(status)) return 2;
  return 3;
}

/**
 * What the realtime protocol promises about the statuses a subscriber sees, and no more: a
 * subscriber gets the run's current state first, so one that arrives late (a slow browser, a loaded
 * machine) may see only the final status. The statuses seen never go back to an earlier stage of
 * the lifecycle and end with `last`; with `distinct` (subscribeToChat, which folds repeats), never
 * the same status twice in a row.
 */
export function expectStatusesInLifecycleOrder(
  statuses: string[],
  last: string,
  { distinct = true }: { distinct?: boolean } = {},
): void {
  const seen = statuses.join(" → ");
  expect(statuses.at(-1), seen).toBe(last);
  for (let i = 1; i < statuses.length; i += 1) {
    const previous = statuses[i - 1] ?? "";
    const current = statuses[i] ?? "";
    if (distinct) expect(current, seen).not.toBe(previous);
    expect(lifecycleStage(current), seen).toBeGreaterThanOrEqual(lifecycleStage(previous));
  }
}
