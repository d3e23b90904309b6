/**
 * Issue 9: a property-based fuzz (fast-check) of every session method's arguments and options.
 * Whatever is passed, a call settles (no hang), never throws synchronously, and fails only with an
 * SDK error (never a TypeError from deep inside); a RequestValidationError means nothing was sent.
 * The server (msw) answers every valid request with a valid, idle answer.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { isPuffleError, type PuffleClient, RequestValidationError } from "../../src/index";
import { CHAT_OPTIONS, WAIT_OPTIONS } from "../../src/internal/check-options";
import { DEFAULT_RECONCILE_TIMEOUT_MS } from "../../src/lib/dispatch";
import { isRealtimeError } from "../../src/realtime/index";
import {
  CAMPAIGN_ID,
  DOCUMENTED_RUN,
  documentedSession,
  http,
  json,
  makeClient,
  NODE_ID,
  SESSION_ID,
  SESSIONS,
  setupMswServer,
} from "./helpers";

const { server, requests } = setupMswServer();

function answerEverything() {
  const session = documentedSession({ id: SESSION_ID, skeleton: { subject: "s" } });
  server.use(
    http.get(SESSIONS, () => json({ sessions: [session] })),
    http.post(SESSIONS, () => json({ session }, { status: 201 })),
    http.get(`${SESSIONS}/:id`, () => json({ session })),
    http.patch(`${SESSIONS}/:id`, () => json({ session })),
    http.delete(`${SESSIONS}/:id`, () => json({ success: true })),
    http.post(`${SESSIONS}/:id/turn`, () => json(DOCUMENTED_RUN)),
    http.post(`${SESSIONS}/:id/generate-examples`, () => json(DOCUMENTED_RUN)),
    http.post("https://app.puffle.ai/api/campaigns/:id/generate-content", () =>
      json({
        session_id: SESSION_ID,
        assistant_message: "ok",
        skeleton: null,
        skeleton_updated: false,
      }),
    ),
    http.get("https://api.trigger.dev/*", () => json({ error: "no" }, { status: 404 })),
  );
}
afterEach(() => server.resetHandlers());

/** Every key a method's options may have, read from the specs (a new option is fuzzed too). */
const KNOWN_OPTION_KEYS = Object.keys({ ...CHAT_OPTIONS.keys, ...WAIT_OPTIONS.keys });

/** Plausible and hostile values for any option. */
const optionValue = fc.oneof(
  fc.anything(),
  fc.integer({ min: -10, max: 5_000 }),
  fc.double(),
  fc.constantFrom("throw", "wait", "resend", "auto", "poll", "realtime", "", "x"),
  fc.constant(new AbortController().signal),
  fc.constant(() => {}),
  fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())),
  fc.record({
    runId: fc.oneof(fc.string(), fc.constant(null)),
    publicAccessToken: fc.oneof(fc.string(), fc.constant(null)),
  }),
  fc.record({ initialDelayMs: fc.integer({ min: -1, max: 50 }), jitter: fc.double() }),
);

const options = fc.oneof(
  fc.constant(undefined),
  fc.anything(),
  fc.dictionary(fc.constantFrom(...KNOWN_OPTION_KEYS), optionValue, { maxKeys: 4 }),
  fc.dictionary(fc.string(), optionValue, { maxKeys: 3 }),
);

const id = fc.oneof(fc.constant(SESSION_ID), fc.uuid(), fc.string(), fc.anything());
const body = (valid: Record<string, unknown>) =>
  fc.oneof(
    fc.constant(valid),
    fc.anything(),
    fc.dictionary(fc.string(), fc.anything(), { maxKeys: 3 }),
    fc.record(
      Object.fromEntries(
        Object.keys(valid).map((k) => [k, fc.oneof(fc.constant(valid[k]), fc.anything())]),
      ),
    ),
  );

type Call = (c: PuffleClient, args: unknown[]) => Promise<unknown>;
const METHODS: Array<[string, fc.Arbitrary<unknown[]>, Call]> = [
  ["getSession", fc.tuple(id, options), (c, [a, o]) => c.getSession(a as never, o as never)],
  ["deleteSession", fc.tuple(id, options), (c, [a, o]) => c.deleteSession(a as never, o as never)],
  ["listSessions", fc.tuple(id, options), (c, [a, o]) => c.listSessions(a as never, o as never)],
  [
    "createSession",
    fc.tuple(body({ campaign_id: CAMPAIGN_ID, node_id: NODE_ID }), options),
    (c, [p, o]) => c.createSession(p as never, o as never),
  ],
  [
    "getOrCreateSession",
    fc.tuple(body({ campaign_id: CAMPAIGN_ID, node_id: NODE_ID }), options),
    (c, [p, o]) => c.getOrCreateSession(p as never, o as never),
  ],
  [
    "updateSession",
    fc.tuple(id, body({ title: "t" }), options),
    (c, [a, p, o]) => c.updateSession(a as never, p as never, o as never),
  ],
  [
    "runTurn",
    fc.tuple(id, body({ message: "hi" }), options),
    (c, [a, p, o]) => c.runTurn(a as never, p as never, o as never),
  ],
  [
    "generateExamples",
    fc.tuple(id, body({ leads: [{ first_name: "A" }] }), options),
    (c, [a, p, o]) => c.generateExamples(a as never, p as never, o as never),
  ],
  [
    "generateContent",
    fc.tuple(id, body({ node_id: NODE_ID, message: "hi" }), options),
    (c, [a, p, o]) => c.generateContent(a as never, p as never, o as never),
  ],
  ["waitForIdle", fc.tuple(id, options), (c, [a, o]) => c.waitForIdle(a as never, o as never)],
  [
    "waitForIdleDetailed",
    fc.tuple(id, options),
    (c, [a, o]) => c.waitForIdleDetailed(a as never, o as never),
  ],
  [
    "chat",
    fc.tuple(id, body({ message: "hi" }), options),
    (c, [a, p, o]) => c.chat(a as never, p as never, o as never),
  ],
  [
    "generateExamplesAndWait",
    fc.tuple(id, body({ leads: [{ first_name: "A" }] }), options),
    (c, [a, p, o]) => c.generateExamplesAndWait(a as never, p as never, o as never),
  ],
];

const HANG = Symbol("hang");

describe("fuzz: every method, any arguments and options", () => {
  for (const [name, args, call] of METHODS) {
    it(`${name} settles with its result or an SDK error; refused input sends nothing`, async () => {
      answerEverything();
      const client = makeClient({ maxRetries: 0 });
      await fc.assert(
        fc.asyncProperty(args, async (values) => {
          requests.length = 0;
          let promise: Promise<unknown>;
          try {
            promise = call(client, values);
          } catch (error) {
            throw new Error(`${name} threw synchronously: ${String(error)}`);
          }
          let timer: ReturnType<typeof setTimeout> | undefined;
          const outcome = await Promise.race([
            promise.then(
              () => "ok",
              (error: unknown) => error,
            ),
            new Promise((resolve) => {
              // Longer than the longest designed wait: a dispatch whose answer is lost (a tiny
              // `deadline` does that) watches an idle session for reconcileTimeout (10 s) before
              // it says DispatchUnknownError; under CPU load that took just over 10 s.
              timer = setTimeout(() => resolve(HANG), DEFAULT_RECONCILE_TIMEOUT_MS + 15_000);
            }),
          ]);
          clearTimeout(timer);
          expect(outcome).not.toBe(HANG);
          if (outcome === "ok") return;
          expect(
            isPuffleError(outcome) || isRealtimeError(outcome),
            `${name} failed with ${String(outcome)}`,
          ).toBe(true);
          if (outcome instanceof RequestValidationError) expect(requests).toHaveLength(0);
        }),
        { numRuns: 120 },
      );
    }, 300_000);
  }
});
