/**
 * Issue 9, case 5: every error serialises, bounded in depth and size, whatever the server sent
 * (a 100k-deep JSON body, a 5 MB body): `JSON.stringify`, `toJSON`, `util.inspect` and `String`
 * never throw and stay small.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { isAPIError, ResponseValidationError } from "../../src/index";
import { HttpResponse, http, makeClient, SESSION_ID, SESSIONS, setupMswServer } from "./helpers";

const { server } = setupMswServer();

const DEEP = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
const DEEP_OBJECT = `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`;
const HUGE = JSON.stringify({ error: "x".repeat(5_000_000), list: Array(200_000).fill(1) });
const LIMIT = 200_000;

function expectBounded(error: unknown) {
  expect(error).toBeInstanceOf(Error);
  const json = JSON.stringify(error);
  expect(json.length).toBeLessThan(LIMIT);
  expect(JSON.stringify((error as { toJSON(): unknown }).toJSON()).length).toBeLessThan(LIMIT);
  expect(inspect(error, { depth: Number.POSITIVE_INFINITY }).length).toBeLessThan(LIMIT * 2);
  expect(String(error).length).toBeLessThan(LIMIT);
  expect(((error as Error).stack ?? "").length).toBeLessThan(LIMIT);
}

describe("errors always serialise", () => {
  for (const [name, body] of [
    ["a 100k-deep JSON array", DEEP],
    ["a 100k-deep JSON object", DEEP_OBJECT],
    ["a 5 MB JSON body", HUGE],
  ] as const) {
    it(`an error answer with ${name}: a typed APIError, bounded`, async () => {
      server.use(
        http.get(
          `${SESSIONS}/:id`,
          () =>
            new HttpResponse(body, {
              status: 400,
              headers: { "content-type": "application/json" },
            }),
        ),
      );
      const error = await makeClient({ maxRetries: 0 })
        .getSession(SESSION_ID)
        .catch((e: unknown) => e);
      expect(isAPIError(error)).toBe(true);
      expectBounded(error);
    });

    it(`a 2xx with ${name}: a ResponseValidationError, bounded`, async () => {
      server.use(
        http.get(
          `${SESSIONS}/:id`,
          () =>
            new HttpResponse(body, {
              status: 200,
              headers: { "content-type": "application/json" },
            }),
        ),
      );
      const error = await makeClient({ maxRetries: 0 })
        .getSession(SESSION_ID)
        .catch((e: unknown) => e);
      expect(error instanceof ResponseValidationError).toBe(true);
      expectBounded(error);
    });
  }
});
