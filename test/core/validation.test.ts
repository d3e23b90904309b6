/**
 * Invalid arguments are refused with a RequestValidationError that lists every issue, and nothing
 * reaches the wire (the msw server counts requests; any request at all is a failure).
 */
import { describe, expect, it } from "vitest";
import { type PuffleClient, RequestValidationError } from "../../src/index";
import {
  CAMPAIGN_ID,
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

async function refused(run: (client: PuffleClient) => Promise<unknown>) {
  const error = await run(makeClient()).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RequestValidationError);
  expect(error instanceof RequestValidationError).toBe(true);
  // Give any stray request time to reach the server before counting.
  await new Promise((r) => setTimeout(r, 10));
  expect(requests).toHaveLength(0);
  return error as RequestValidationError;
}

const paths = (error: RequestValidationError) => error.issues.map((i) => i.path.join("."));

describe("request validation: nothing is sent", () => {
  it.each([
    ["not-a-uuid"],
    [""],
    ["3c90c3cc-0d44-4b50-8888-8dd25736052"], // one digit short
    ["3c90c3cc-0d44-0b50-8888-8dd25736052a"], // version 0
    ["3c90c3cc-0d44-4b50-c888-8dd25736052a"], // variant c
    ["d1d1d1d1-1111-1111-1111-111111111111"], // variant 1
    [`${SESSION_ID}/../other`],
  ])("getSession(%j) → RequestValidationError", async (id) => {
    const error = await refused((c) => c.getSession(id));
    expect(paths(error)).toEqual(["sessionId"]);
    expect(error.message).toContain("getSession");
    expect(error.message).toContain("Nothing was sent");
  });

  it("accepts the nil and max UUIDs and upper case", async () => {
    server.use(http.get(`${SESSIONS}/:id`, () => json({ session: documentedSession() })));
    for (const id of [
      "00000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-ffffffffffff",
      SESSION_ID.toUpperCase(),
    ]) {
      await expect(makeClient().getSession(id)).resolves.toEqual(documentedSession());
    }
    expect(requests.map((r) => r.path.split("/").pop())).toEqual([
      "00000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-ffffffffffff",
      SESSION_ID.toUpperCase(),
    ]);
  });

  it("non-string ids are refused", async () => {
    for (const id of [42, null, undefined, { id: SESSION_ID }]) {
      const error = await refused((c) => c.getSession(id as never));
      expect(paths(error)).toEqual(["sessionId"]);
    }
  });

  it("listSessions with a bad campaign id", async () => {
    const error = await refused((c) => c.listSessions("campaign-1"));
    expect(paths(error)).toEqual(["campaignId"]);
  });

  it("createSession lists both bad ids, and refuses unknown keys", async () => {
    const error = await refused((c) =>
      c.createSession({ campaign_id: "x", node_id: 7, campaignId: CAMPAIGN_ID } as never),
    );
    expect(paths(error)).toEqual(expect.arrayContaining(["campaign_id", "node_id"]));
    expect(error.message).toContain("campaignId");
    expect(error.issues.length).toBeGreaterThanOrEqual(3);
  });

  it("createSession with no argument at all", async () => {
    await refused((c) => c.createSession(undefined as never));
  });

  it("runTurn: bad id AND empty message are both listed", async () => {
    const error = await refused((c) => c.runTurn("nope", { message: "" }));
    expect(paths(error)).toEqual(["sessionId", "turn.message"]);
    expect(error.message).toMatch(/must not be empty/);
  });

  it("runTurn: the snake_case typo available_var_names is refused by name", async () => {
    const error = await refused((c) =>
      c.runTurn(SESSION_ID, { message: "hi", available_var_names: ["first_name"] } as never),
    );
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.message).toContain('"available_var_names"');
  });

  it("runTurn: wrong types everywhere are all listed", async () => {
    const error = await refused((c) =>
      c.runTurn(SESSION_ID, {
        message: 42,
        availableVarNames: "first_name",
        sampleLeads: [{ first_name: 1 }],
        sequenceContext: { position: -1, total_nodes: 1.5 },
      } as never),
    );
    expect(paths(error)).toEqual(
      expect.arrayContaining([
        "turn.message",
        "turn.availableVarNames",
        "turn.sampleLeads.0.first_name",
        "turn.sequenceContext.position",
        "turn.sequenceContext.total_nodes",
      ]),
    );
    expect(error.issues).toHaveLength(5);
  });

  it("runTurn: a missing message", async () => {
    const error = await refused((c) => c.runTurn(SESSION_ID, {} as never));
    expect(paths(error)).toEqual(["turn.message"]);
    expect(error.issues[0]?.message).toMatch(/required/);
  });

  it("generateExamples: empty leads, a non-boolean isFirstBatch, an unknown key", async () => {
    const error = await refused((c) =>
      c.generateExamples(SESSION_ID, {
        leads: [],
        isFirstBatch: "yes",
        is_first_batch: true,
      } as never),
    );
    expect(paths(error)).toEqual(expect.arrayContaining(["params.leads", "params.isFirstBatch"]));
    expect(error.message).toContain("is_first_batch");
  });

  it("generateContent: bad campaign id, bad node id, empty message", async () => {
    const error = await refused((c) =>
      c.generateContent("campaign", { node_id: "node", message: "" }),
    );
    expect(paths(error)).toEqual(["campaignId", "params.node_id", "params.message"]);
  });

  it("generateContent: camelCase keys of /turn are refused", async () => {
    const error = await refused((c) =>
      c.generateContent(CAMPAIGN_ID, {
        node_id: NODE_ID,
        message: "x",
        sampleLeads: [],
      } as never),
    );
    expect(error.message).toContain("sampleLeads");
  });

  it("updateSession: unknown keys, wrong types and a bad id", async () => {
    const error = await refused((c) =>
      c.updateSession("bad", { title: 5, draftSubject: "x", task_status: 1 } as never),
    );
    expect(paths(error)).toEqual(
      expect.arrayContaining(["sessionId", "patch.title", "patch.task_status"]),
    );
    expect(error.message).toContain("draftSubject");
  });

  it("deleteSession with a bad id", async () => {
    await refused((c) => c.deleteSession("../../campaigns"));
  });

  it("getOrCreateSession with bad ids sends nothing (not even the list)", async () => {
    const error = await refused((c) =>
      c.getOrCreateSession({ campaign_id: CAMPAIGN_ID, node_id: "n" }),
    );
    expect(paths(error)).toEqual(["node_id"]);
  });

  it("bad per-call options are refused before sending", async () => {
    for (const options of [{ timeout: -1 }, { maxRetries: 1.5 }, { timeout: Number.NaN }]) {
      const error = await makeClient()
        .getSession(SESSION_ID, options)
        .catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/timeout|maxRetries/);
    }
    expect(requests).toHaveLength(0);
  });
});

// Issue 18 item 7: the common slips say what to fix.
describe("validation messages for the common slips", () => {
  it.each([
    ["getSession", (c: PuffleClient) => c.getSession(""), "sessionId", "PUFFLE_SESSION_ID"],
    ["listSessions", (c: PuffleClient) => c.listSessions(""), "campaignId", "PUFFLE_CAMPAIGN_ID"],
    ["getCampaign", (c: PuffleClient) => c.getCampaign(""), "campaignId", "PUFFLE_CAMPAIGN_ID"],
    ["finishSession", (c: PuffleClient) => c.finishSession(""), "sessionId", "PUFFLE_SESSION_ID"],
  ])(
    '%s with an empty id says got "" and names %s\'s variable',
    async (_name, run, path, variable) => {
      const error = await refused(run);
      expect(paths(error)).toEqual([path]);
      expect(error.issues[0]?.message).toContain('got "": an empty value');
      expect(error.issues[0]?.message).toContain(`is ${variable} set?`);
    },
  );

  it("getOrCreateSession with empty ids names both variables", async () => {
    const error = await refused((c) => c.getOrCreateSession({ campaign_id: "", node_id: " " }));
    expect(error.message).toContain("campaign_id must be a UUID");
    expect(error.message).toContain("(is PUFFLE_CAMPAIGN_ID set?)");
    expect(error.message).toContain(
      'node_id must be a UUID such as 3c90c3cc-0d44-4b50-8888-8dd25736052a, got " "',
    );
    expect(error.message).toContain("(is PUFFLE_NODE_ID set?)");
  });

  it("a wrong id quotes what it got", async () => {
    const error = await refused((c) => c.getSession("session-1"));
    expect(error.issues[0]?.message).toMatch(
      /must be a UUID such as [0-9a-f-]{36}, got "session-1"$/,
    );
  });

  it("snake_case turn keys get the camelCase did-you-mean", async () => {
    const error = await refused((c) =>
      c.runTurn(SESSION_ID, {
        message: "hi",
        available_var_names: ["first_name"],
        sample_leads: [],
      } as never),
    );
    expect(error.message).toContain('"available_var_names" (did you mean "availableVarNames"?)');
    expect(error.message).toContain('"sample_leads" (did you mean "sampleLeads"?)');
    expect(error.message).toContain(
      "Known keys: message, availableVarNames, sampleLeads, sequenceContext",
    );
  });

  it("and camelCase keys on a snake_case body get the snake_case spelling", async () => {
    const error = await refused((c) =>
      c.getOrCreateSession({ campaignId: CAMPAIGN_ID, node_id: NODE_ID } as never),
    );
    expect(error.message).toContain('"campaignId" (did you mean "campaign_id"?)');
  });

  it("an id that is a Promise hints at a missing await", async () => {
    const pending = Promise.resolve(SESSION_ID);
    const error = await refused((c) => c.getSession(pending as never));
    expect(error.issues[0]?.message).toBe("must be a string, got a Promise (a missing `await`?)");
    const params = Promise.resolve({ campaign_id: CAMPAIGN_ID, node_id: NODE_ID });
    const whole = await refused((c) => c.getOrCreateSession(params as never));
    expect(whole.message).toContain(
      "must be an object with the keys campaign_id, node_id, got a Promise (a missing `await`?)",
    );
  });

  it("positional ids where an object is expected name the object's keys", async () => {
    const error = await refused(
      (c) =>
        (c.getOrCreateSession as (...a: unknown[]) => unknown)(
          CAMPAIGN_ID,
          NODE_ID,
        ) as Promise<unknown>,
    );
    expect(error.message).toContain(
      "must be an object with the keys campaign_id, node_id, got a string",
    );
  });
});
