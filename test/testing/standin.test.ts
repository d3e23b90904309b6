// The emulator's stand-in LLM, driven as a user drives it: PuffleClient over real HTTP, chat()
// turn by turn, reading the session the server wrote. Each case checks that what was said is
// visibly taken up in the next draft (issue 18 item 3; issue 19's sequenceContext).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/client";
import type { TurnParams } from "../../src/core/types";
import { lintDraft } from "../../src/template/lint";
import { createEmulator, type Emulator, type ListeningEmulator } from "../../src/testing/index";

let server: ListeningEmulator;
let emu: Emulator;
let puffle: PuffleClient;

beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 30, liveHoldMs: 2_000 }).listen();
  emu = server.emulator;
  puffle = new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
    logLevel: "off",
  });
});
afterAll(() => server.close());

const BRIEF = "Intro email for enterprise VPs of Sales about time-to-ROI";
const VARS = ["first_name", "company", "position"];

/** A fresh session on a new node of `type` in the demo campaign, with `messages` chatted in turn. */
async function chatted(
  type: "email" | "ai",
  messages: string[],
  extra: Omit<TurnParams, "message"> = {},
) {
  const nodeId = emu.addNode(emu.demo.campaignId, { type });
  const session = await puffle.getOrCreateSession({
    campaign_id: emu.demo.campaignId,
    node_id: nodeId,
  });
  const turns = [];
  for (const message of messages) {
    turns.push(
      await puffle.chat(
        session.id,
        { message, availableVarNames: VARS, ...extra },
        { deadline: 60_000 },
      ),
    );
  }
  return { session: await puffle.getSession(session.id), turns };
}

describe("the stand-in takes up what was said", () => {
  it("asks its questions, then uses the answers: readers, goal and proof appear in the draft", async () => {
    const { session, turns } = await chatted("email", [
      BRIEF,
      "1) RevOps leaders 2) a 30 minute demo 3) customers cut ramp time by 40%",
    ]);
    expect(turns[0]?.reply).toMatch(/a few questions: 1\) Who[\s\S]*2\)[\s\S]*3\)/);
    expect(turns[1]?.reply).toMatch(/^Thanks for the answers/);
    expect(session.draft_body).toContain("RevOps leaders");
    expect(session.draft_body).toContain("Would a 30 minute demo next week make sense?");
    expect(session.draft_body).toContain("customers cut ramp time by 40%");
  });

  it("asks only what the brief leaves open", async () => {
    const { turns } = await chatted("email", [`${BRIEF}. Goal: a 20 minute call`]);
    expect(turns[0]?.reply).toContain("I noted goal: a 20 minute call");
    expect(turns[0]?.reply).not.toContain("What single outcome");
    expect(turns[0]?.reply).toContain("1) Who exactly reads");
  });

  it('"Goal: a 20 minute call" makes the draft ask for a 20 minute call, not 15', async () => {
    const { session, turns } = await chatted("email", [
      BRIEF,
      "Readers are CROs",
      "Goal: a 20 minute call",
    ]);
    expect(turns[1]?.session.draft_body).toContain("15 minute call");
    expect(session.draft_body).toContain("20 minute call");
    expect(session.draft_body).not.toContain("15 minute");
    expect(turns[2]?.reply).toContain("The call to action now asks for a 20 minute call");
  });

  it("a proof point given in a turn appears in the next draft", async () => {
    const { session, turns } = await chatted("email", [
      BRIEF,
      "Readers are CROs",
      "Proof: Acme doubled reply rates in 6 weeks",
    ]);
    expect(turns[1]?.session.draft_body).not.toContain("Acme doubled");
    expect(session.draft_body).toContain("Acme doubled reply rates in 6 weeks");
  });

  it('"more casual" changes the tone words (greeting, wording, sign-off)', async () => {
    const { session, turns } = await chatted("email", [
      BRIEF,
      "Readers are CROs",
      "Make it more casual",
    ]);
    const before = turns[1]?.session.draft_body ?? "";
    expect(before).toMatch(/^Hi %first_name%,/);
    expect(before).toMatch(/Best,$/);
    expect(session.draft_body).toMatch(/^Hey %first_name%,/);
    expect(session.draft_body).toMatch(/Cheers,$/);
    expect(session.draft_body).toContain("Up for a 15 minute call next week?");
    expect(turns[2]?.reply).toContain("I made the tone more casual");
  });

  it('"shorter" and "longer" change the length, and a plain "brief" is not a length request', async () => {
    const base = await chatted("email", [BRIEF, "Readers are CROs"]);
    const shorter = await chatted("email", [BRIEF, "Readers are CROs", "Make it shorter"]);
    const longer = await chatted("email", [BRIEF, "Readers are CROs", "Make it longer"]);
    const briefWord = await chatted("email", [
      "Here is my brief: intro email about time-to-ROI",
      "Readers are CROs",
    ]);
    const length = (s: { draft_body: string | null }) => s.draft_body?.length ?? 0;
    expect(length(shorter.session)).toBeLessThan(length(base.session));
    expect(length(longer.session)).toBeGreaterThan(length(base.session));
    expect(briefWord.turns[1]?.reply).not.toMatch(/I made it shorter/);
    expect(length(briefWord.session)).toBeGreaterThan(length(shorter.session));
  });

  it("a new brief starts over on its own words", async () => {
    const { session, turns } = await chatted("email", [
      BRIEF,
      "Readers are CROs",
      "New brief: a webinar invite for RevOps managers",
    ]);
    expect(turns[2]?.reply).toMatch(/^Starting over on the new brief about "webinar"/);
    expect(session.draft_subject).toContain("webinar");
    expect(session.draft_body).not.toContain("time-to-ROI");
  });

  it("asking for the final text fills every block: the email draft passes lintDraft", async () => {
    const { session, turns } = await chatted("email", [
      BRIEF,
      "Readers are CROs. Proof: 30% more pipeline",
      "Fill in the instruction blocks",
    ]);
    const earlier = turns[1]?.session;
    expect(earlier?.draft_body).toMatch(/&&[^&]+&&/);
    expect(
      lintDraft(
        { subject: earlier?.draft_subject, body: earlier?.draft_body },
        { availableVarNames: VARS },
      ).ok,
    ).toBe(false);
    const draft = { subject: session.draft_subject, body: session.draft_body };
    expect(draft.body).not.toContain("&&");
    expect(lintDraft(draft, { availableVarNames: VARS })).toEqual({ ok: true, issues: [] });
    expect(turns[2]?.reply).toContain("this is the final text");
    // It stays final through later edits.
    const next = await puffle.chat(session.id, {
      message: "Make it more casual",
      availableVarNames: VARS,
    });
    expect(next.session.draft_body).not.toContain("&&");
  });

  it("an ai node keeps its &&instruction&& blocks and says why", async () => {
    const { session, turns } = await chatted("ai", [
      BRIEF,
      "Readers are CROs",
      "Give me the final text",
    ]);
    expect(session.draft_body).toMatch(/&&[^&]+&&/);
    expect(turns[2]?.reply).toMatch(/this is an ai node, so the instruction blocks stay/i);
  });

  it("uses sequenceContext: a follow-up refers to the earlier email and reaches a finished draft", async () => {
    const first = await chatted("email", [BRIEF, "Readers are CROs", "Give me the final text"]);
    const prior = { draft_subject: first.session.draft_subject, position: 0, type: "email" };
    const sequenceContext = { position: 2, total_nodes: 3, prior_nodes: [prior] };
    const { session, turns } = await chatted(
      "email",
      [
        "Follow-up to the intro, three days later",
        "Proceed on stated assumptions",
        "Final text please",
      ],
      { sequenceContext },
    );
    expect(session.draft_subject).toBe(`Re: ${first.session.draft_subject}`);
    expect(session.draft_body).toContain(
      `Following up on my earlier email about "${first.session.draft_subject}".`,
    );
    expect(turns[1]?.reply).toContain(`It follows up on "${first.session.draft_subject}"`);
    expect(turns[1]?.reply).toContain("I went ahead on stated assumptions");
    expect(session.draft_body).not.toMatch(/assumptions|Proceed/);
    const draft = { subject: session.draft_subject, body: session.draft_body };
    expect(lintDraft(draft, { availableVarNames: VARS }).ok).toBe(true);
  });

  it("is deterministic: the same turns on two sessions give the same drafts", async () => {
    const said = [BRIEF, "Readers are CROs", "Goal: a 20 minute call", "Make it more casual"];
    const a = await chatted("email", said);
    const b = await chatted("email", said);
    expect(b.session.draft_body).toBe(a.session.draft_body);
    expect(b.turns.map((t) => t.reply)).toEqual(a.turns.map((t) => t.reply));
  });
});
