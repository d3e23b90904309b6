import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_POLL, FAST_POLL } from "../../../src/index";
import { pollDelays } from "../../../src/lib/schedule";

describe("poll schedule", () => {
  it("the default stays inside Puffle's guidance (a read every 2 to 5 s), whatever the jitter", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 0.999_999, noNaN: true }), {
          minLength: 1,
          maxLength: 30,
        }),
        (randoms) => {
          let i = 0;
          const delays = pollDelays({}, () => randoms[i++ % randoms.length] ?? 0);
          for (let n = 0; n < 30; n++) {
            const delay = delays.next().value as number;
            expect(delay).toBeGreaterThanOrEqual(2_000);
            expect(delay).toBeLessThanOrEqual(5_000);
          }
        },
      ),
    );
    expect(DEFAULT_POLL.initialDelayMs).toBeGreaterThanOrEqual(2_000);
  });

  it("the faster schedule is an explicit opt-in, below the guidance", () => {
    const delays = pollDelays(FAST_POLL, () => 0.5);
    expect(delays.next().value).toBe(500);
  });
});
