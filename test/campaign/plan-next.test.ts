/**
 * The planner (src/lib/plan-next.ts), a pure function: properties over arbitrary transcripts
 * (fast-check) and the crash windows of the dispatch intent, one by one.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchTranscript, planNext } from "../../src/campaign/index";
import type { AdvancePlan, DispatchIntent } from "../../src/core/draft-types";
import type { Session } from "../../src/core/types";
import { fingerprint } from "../../src/internal/session-memory";

const T0 = "2026-12-07T10:00:00.000Z";
const NOW = Date.parse("2026-12-07T12:00:00.000Z");

function session(users: string[], patch: Partial<Session> = {}): Session {
  return {
    id: "3c90c3cc-0d44-4b50-8888-8dd25736052a",
    user_id: "u",
    campaign_id: "c",
    node_id: "n",
    title: null,
    messages: users.flatMap((content) => [
      { role: "user" as const, content },
      { role: "assistant" as const, content: `reply to ${content}` },
    ]),
    draft_subject: null,
    draft_body: null,
    skeleton: null,
    skeleton_history: null,
    draft_history: null,
    framework_version: null,
    generated_examples: null,
    task_status: null,
    created_at: T0,
    updated_at: T0,
    ...patch,
  };
}

const plan = (messages: string[], nodeType: "email" | "ai" = "email"): AdvancePlan => ({
  nodeType,
  messages,
});

const base = { now: NOW, quietPeriod: 10_000, hasStore: true, intent: undefined };

function intentFor(s: Session, index: number, message: string, at = NOW - 20_000): DispatchIntent {
  return {
    version: 1,
    sessionId: s.id,
    op: "turn",
    index,
    message,
    usersBefore: index,
    examplesBefore: fingerprint(s.generated_examples),
    updatedAtBefore: s.updated_at,
    at,
    quietUntil: at + 10_000,
  };
}

describe("planNext: properties", () => {
  // Plans with repeats ("yes" twice) are the hard case for matching by content.
  const words = fc.constantFrom("brief", "yes", "final text", "shorter", "go on");
  const arbitraryPlan = fc.array(words, { minLength: 1, maxLength: 6 });

  it("never sends turn i when turn i is provably in the transcript", () => {
    fc.assert(
      fc.property(arbitraryPlan, fc.nat(6), (messages, n) => {
        const landed = messages.slice(0, Math.min(n, messages.length));
        const next = planNext({ ...base, session: session(landed), plan: plan(messages) });
        if (next.kind === "send-turn") {
          expect(next.index).toBe(landed.length);
          expect(next.message).toBe(messages[landed.length]);
        } else {
          // Only when every planned message landed: the turn limit, nothing else.
          expect(landed.length).toBe(messages.length);
          expect(next).toMatchObject({ kind: "needs-attention", reason: "max-turns" });
        }
      }),
    );
  });

  it("never sends to a busy session", () => {
    fc.assert(
      fc.property(
        arbitraryPlan,
        fc.nat(6),
        fc.constantFrom("chat_processing", "generating_examples", "other"),
        (messages, n, status) => {
          const s = session(messages.slice(0, n), { task_status: status });
          expect(planNext({ ...base, session: s, plan: plan(messages) }).kind).toBe("wait");
        },
      ),
    );
  });

  it("a user message that is not the plan's stops the session (foreign-turn), never a send", () => {
    fc.assert(
      fc.property(arbitraryPlan, fc.nat(5), (messages, n) => {
        const landed = messages.slice(0, Math.min(n, messages.length));
        const s = session([...landed, "something a person typed"]);
        expect(planNext({ ...base, session: s, plan: plan(messages) })).toMatchObject({
          kind: "needs-attention",
          reason: "foreign-turn",
        });
      }),
    );
  });
});

describe("planNext: by position, with repeats and double dispatches", () => {
  it("a repeated planned message is matched by position", () => {
    const messages = ["brief", "yes", "yes", "final"];
    const next = planNext({ ...base, session: session(["brief", "yes"]), plan: plan(messages) });
    expect(next).toEqual({ kind: "send-turn", index: 2, message: "yes" });
  });

  it("a planned message repeated right after its own turn is a double dispatch: reported, shifted", () => {
    const t = matchTranscript(session(["brief", "more", "more"]), ["brief", "more", "final"]);
    expect(t).toMatchObject({ landed: 2, duplicates: [2], foreign: undefined });
    const next = planNext({
      ...base,
      session: session(["brief", "more", "more"]),
      // The double dispatch was paid: it counts toward maxTurns.
      plan: { ...plan(["brief", "more", "final"]), maxTurns: 4 },
    });
    expect(next).toEqual({ kind: "send-turn", index: 2, message: "final" });
  });
});

describe("planNext: the dispatch intent's crash windows", () => {
  const messages = ["brief", "proceed", "final"];

  it("intent saved, POST never left: waits out the quiet period, then sends (session untouched)", () => {
    const s = session(["brief"]);
    const intent = intentFor(s, 1, "proceed", NOW - 5_000);
    expect(planNext({ ...base, session: s, plan: plan(messages), intent })).toMatchObject({
      kind: "wait",
      reason: "quiet-period",
      untilMs: intent.quietUntil,
    });
    const later = { ...intent, at: NOW - 20_000, quietUntil: NOW - 10_000 };
    expect(planNext({ ...base, session: s, plan: plan(messages), intent: later })).toEqual({
      kind: "send-turn",
      index: 1,
      message: "proceed",
    });
  });

  it("the POST landed (message in the transcript): the next message, never the same again", () => {
    const before = session(["brief"]);
    const intent = intentFor(before, 1, "proceed");
    const after = session(["brief", "proceed"], { updated_at: "2026-12-07T11:59:00.000Z" });
    expect(planNext({ ...base, session: after, plan: plan(messages), intent })).toEqual({
      kind: "send-turn",
      index: 2,
      message: "final",
    });
  });

  it("the session changed but shows no trace (a run that failed before writing): unknown, not sent", () => {
    const before = session(["brief"]);
    const intent = intentFor(before, 1, "proceed");
    const changed = session(["brief"], { updated_at: "2026-12-07T11:59:00.000Z" });
    expect(planNext({ ...base, session: changed, plan: plan(messages), intent })).toMatchObject({
      kind: "needs-attention",
      reason: "dispatch-unknown",
    });
    // Opt-in: resend.
    expect(
      planNext({ ...base, session: changed, plan: plan(messages), intent, resendUnknown: true }),
    ).toEqual({ kind: "send-turn", index: 1, message: "proceed" });
  });

  it("without a store, a session updated moments ago is waited for; an old one is sent to", () => {
    const recent = session(["brief"], { updated_at: new Date(NOW - 2_000).toISOString() });
    expect(
      planNext({ ...base, hasStore: false, session: recent, plan: plan(messages) }),
    ).toMatchObject({
      kind: "wait",
      reason: "quiet-period",
    });
    expect(
      planNext({ ...base, hasStore: false, session: session(["brief"]), plan: plan(messages) }),
    ).toMatchObject({
      kind: "send-turn",
      index: 1,
    });
  });
});

describe("planNext: done by the node's lint rule", () => {
  const withBlocks = { draft_subject: "Hi %first_name%", draft_body: "Hello &&opener&& bye" };
  const final = { draft_subject: "Hi %first_name%", draft_body: "Hello, a real sentence. Bye" };

  it("an email node with &&blocks&& is not done (asks for more); without them it is", () => {
    const messages = ["brief", "proceed", "final"];
    expect(
      planNext({
        ...base,
        session: session(["brief", "proceed"], withBlocks),
        plan: plan(messages),
      }),
    ).toMatchObject({ kind: "send-turn", index: 2 });
    expect(
      planNext({ ...base, session: session(["brief", "proceed"], final), plan: plan(messages) }),
    ).toMatchObject({ kind: "done" });
  });

  it("an ai node keeps its blocks; with leads it asks for one example run, then is done", () => {
    const ai: AdvancePlan = {
      ...plan(["brief", "proceed"], "ai"),
      examples: [{ first_name: "Ada" }],
    };
    const drafted = session(["brief", "proceed"], withBlocks);
    expect(planNext({ ...base, session: drafted, plan: ai })).toEqual({
      kind: "generate-examples",
    });
    const examples = [{ lead_id: null, subject: "s", body: "b" }];
    expect(
      planNext({ ...base, session: { ...drafted, generated_examples: examples }, plan: ai }),
    ).toMatchObject({ kind: "done" });
  });
});
