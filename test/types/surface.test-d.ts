/**
 * Type tests of the public surface. A `.test-d.ts` file is checked by `tsc --noEmit` (npm test's
 * typecheck step, tsconfig includes test/) and never run: `expectTypeOf` fails compilation on a
 * mismatch, and every `@ts-expect-error` is an assertion too (an unused one fails tsc).
 */
import { describe, expectTypeOf, it } from "vitest";
import type {
  GeneratedExample,
  Lead,
  Message,
  PuffleClient,
  RunHandle,
  Session,
  Skeleton,
} from "../../src/index";
import * as main from "../../src/index";
import type * as realtime from "../../src/realtime/index";
import { subscribeToChat } from "../../src/realtime/index";
import { lintDraft, renderDraft } from "../../src/template/index";
import type * as types from "../../src/types/index";
import type {
  DispatchedRun,
  ReconciledRun,
  TaskStatus,
  WithRequestID,
  WithUnknownKeys,
} from "../../src/types/index";

declare const puffle: PuffleClient;
declare const session: Session;
declare const run: RunHandle;
const id = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

describe("named public types", () => {
  it("methods resolve with the named types", () => {
    expectTypeOf(puffle.getSession).returns.resolves.toEqualTypeOf<WithRequestID<Session>>();
    expectTypeOf(puffle.createSession).returns.resolves.toEqualTypeOf<WithRequestID<Session>>();
    expectTypeOf(puffle.updateSession).returns.resolves.toEqualTypeOf<WithRequestID<Session>>();
    expectTypeOf(puffle.runTurn).returns.resolves.toEqualTypeOf<WithRequestID<RunHandle>>();
    expectTypeOf(puffle.generateExamples).returns.resolves.toEqualTypeOf<
      WithRequestID<RunHandle>
    >();
    expectTypeOf(puffle.waitForIdle).returns.resolves.toEqualTypeOf<Session>();
  });

  it("a typo in a field name does not compile (no index signature)", () => {
    // @ts-expect-error draft_subjcet is not a Session field
    void session.draft_subjcet;
    // @ts-expect-error nor is an arbitrary key on a message
    void ({} as Message).author;
    // @ts-expect-error nor on a skeleton
    void ({} as Skeleton).subjcet;
    // @ts-expect-error nor on an example
    void ({} as GeneratedExample).leadId;
    // @ts-expect-error an unknown lead key in a literal is refused (use custom_fields)
    const lead: Lead = { first_nme: "Ada" };
    void lead;
  });

  it("unknown keys are reachable only explicitly", () => {
    expectTypeOf((session as WithUnknownKeys<Session>).brand_new).toEqualTypeOf<unknown>();
  });

  it("task_status is TaskStatus | null; TaskStatus keeps its known names and admits others", () => {
    expectTypeOf(session.task_status).toEqualTypeOf<TaskStatus | null>();
    expectTypeOf<"chat_processing">().toExtend<TaskStatus>();
    expectTypeOf<"generating_examples">().toExtend<TaskStatus>();
    expectTypeOf<"translating">().toExtend<TaskStatus>();
    expectTypeOf<null>().not.toExtend<TaskStatus>();
    // The union does not collapse to `string`: the known members stay visible.
    expectTypeOf<TaskStatus>().not.toEqualTypeOf<string>();
  });

  it("narrowing on reconciled gives a token-bearing handle", () => {
    if (!run.reconciled) {
      expectTypeOf(run).toEqualTypeOf<DispatchedRun>();
      expectTypeOf(run.publicAccessToken).toEqualTypeOf<string>();
      expectTypeOf(run.runId).toEqualTypeOf<string>();
      // compiles without a cast
      void subscribeToChat({ runId: run.runId, publicAccessToken: run.publicAccessToken });
    } else {
      expectTypeOf(run).toEqualTypeOf<ReconciledRun>();
      expectTypeOf(run.publicAccessToken).toEqualTypeOf<null>();
    }
    if (run.runId !== null) expectTypeOf(run.publicAccessToken).toEqualTypeOf<string>();
  });

  it("narrowing works on what runTurn resolves with (WithRequestID<RunHandle>)", async () => {
    const turn = await puffle.runTurn(id, { message: "hi" });
    if (!turn.reconciled) {
      expectTypeOf(turn.publicAccessToken).toEqualTypeOf<string>();
      void subscribeToChat({ runId: turn.runId, publicAccessToken: turn.publicAccessToken });
    }
    // @ts-expect-error without narrowing the token may be null
    void subscribeToChat({ runId: "run_1", publicAccessToken: turn.publicAccessToken });
  });

  it("_request_id is typed on objects and absent from arrays", async () => {
    const s = await puffle.getSession(id);
    expectTypeOf(s._request_id).toEqualTypeOf<string | undefined>();
    const list = await puffle.listSessions(id);
    expectTypeOf(list).toEqualTypeOf<Session[]>();
    // @ts-expect-error a list carries no _request_id (use withResponse())
    void list._request_id;
  });

  it("lintDraft and renderDraft take a session or a draft; another shape is a compile error", () => {
    lintDraft(session);
    lintDraft({ subject: "Hi", body: "there" });
    lintDraft(session.skeleton ?? {});
    renderDraft(session, { first_name: "Ada" });
    // @ts-expect-error a message is neither a draft nor a session
    lintDraft({} as Message);
    // @ts-expect-error a misspelt key is refused
    lintDraft({ subjet: "Hi" });
    // @ts-expect-error
    renderDraft({ text: "Hi" }, {});
  });
});

describe("error classes", () => {
  it("carry literal statuses", () => {
    expectTypeOf<InstanceType<typeof main.NotFoundError>["status"]>().toEqualTypeOf<404>();
    expectTypeOf<InstanceType<typeof main.AuthenticationError>["status"]>().toEqualTypeOf<401>();
    expectTypeOf<InstanceType<typeof main.BadRequestError>["status"]>().toEqualTypeOf<400>();
    expectTypeOf<InstanceType<typeof main.SkeletonRequiredError>["status"]>().toEqualTypeOf<400>();
    expectTypeOf<
      InstanceType<typeof main.InsufficientCreditsError>["status"]
    >().toEqualTypeOf<402>();
    expectTypeOf<InstanceType<typeof main.PermissionDeniedError>["status"]>().toEqualTypeOf<403>();
    expectTypeOf<InstanceType<typeof main.ConflictError>["status"]>().toEqualTypeOf<409>();
    expectTypeOf<InstanceType<typeof main.SessionBusyError>["status"]>().toEqualTypeOf<409>();
    expectTypeOf<
      InstanceType<typeof main.UnprocessableEntityError>["status"]
    >().toEqualTypeOf<422>();
    expectTypeOf<InstanceType<typeof main.RateLimitError>["status"]>().toEqualTypeOf<429>();
    expectTypeOf<
      InstanceType<typeof realtime.RealtimeUnauthorizedError>["status"]
    >().toEqualTypeOf<401>();
    expectTypeOf<
      InstanceType<typeof realtime.RealtimeForbiddenError>["status"]
    >().toEqualTypeOf<403>();
    expectTypeOf<
      InstanceType<typeof realtime.RealtimeNotFoundError>["status"]
    >().toEqualTypeOf<404>();
  });

  it("every realtime error is a PuffleError", () => {
    expectTypeOf<realtime.RealtimeError>().toExtend<main.PuffleError>();
    const e: unknown = null;
    if (e instanceof main.NotFoundError) expectTypeOf(e.status).toEqualTypeOf<404>();
    if (e instanceof main.SessionBusyError)
      expectTypeOf(e.taskStatus).toEqualTypeOf<TaskStatus | undefined>();
  });

  it("isAPIError(e, status) narrows to the status's class", () => {
    const e: unknown = null;
    if (main.isAPIError(e)) expectTypeOf(e).toEqualTypeOf<main.APIError>();
    if (main.isAPIError(e, 404)) expectTypeOf(e).toEqualTypeOf<main.NotFoundError>();
    if (main.isAPIError(e, 404)) expectTypeOf(e.status).toEqualTypeOf<404>();
    if (main.isAPIError(e, 409))
      expectTypeOf(e).toEqualTypeOf<main.ConflictError | main.SessionBusyError>();
    if (main.isAPIError(e, 429)) expectTypeOf(e.retryAfterMs).toEqualTypeOf<number | undefined>();
    if (main.isAPIError(e, 503)) expectTypeOf(e).toEqualTypeOf<main.InternalServerError>();
    if (main.isAPIError(e, 418)) expectTypeOf(e).toEqualTypeOf<main.APIError>();
    if (e instanceof main.APIError) expectTypeOf(e.status).toEqualTypeOf<number>();
  });
});

describe("withResponse()", () => {
  it("is typed on every method", async () => {
    const { data, response, requestId } = await puffle.getSession(id).withResponse();
    expectTypeOf(data).toEqualTypeOf<WithRequestID<Session>>();
    expectTypeOf(response).toEqualTypeOf<Response>();
    expectTypeOf(requestId).toEqualTypeOf<string | undefined>();
    expectTypeOf(await puffle.listSessions(id).withResponse()).toEqualTypeOf<
      main.APIResponse<Session[]>
    >();
    expectTypeOf(puffle.chat(id, { message: "hi" }).asResponse()).toEqualTypeOf<
      Promise<Response>
    >();
    expectTypeOf(puffle.deleteSession(id)).toEqualTypeOf<main.APIPromise<void>>();
    expectTypeOf(await puffle.chat(id, { message: "hi" })).toEqualTypeOf<main.ChatResult>();
  });
});

describe("puffle-chat/types", () => {
  it("names the root's types and the parts inside them, as the same types", () => {
    expectTypeOf<types.Session>().toEqualTypeOf<Session>();
    expectTypeOf<types.RunHandle>().toEqualTypeOf<DispatchedRun | ReconciledRun>();
    expectTypeOf<types.SkeletonBlock>().toEqualTypeOf<NonNullable<Skeleton["blocks"]>[number]>();
    expectTypeOf<types.ClientOptions>().toEqualTypeOf<main.ClientOptions>();
  });
});
