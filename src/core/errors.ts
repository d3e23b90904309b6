/**
 * The SDK's own errors: no answer (connection, timeout, abort), arguments or answers that break
 * the contract, a paid dispatch whose fate is unknown, a failed task, a wait that ran out, and the
 * refusals of `finishSession` and `generate_ai`. The HTTP error answers are in `api-errors.ts`.
 * Each class has a fixed kind (see `base/brand.ts`), so `instanceof` works across installed copies
 * of the package.
 *
 * @module
 */
import { PuffleError } from "../base/puffle-error";
import { redactValue } from "../base/redact";
import type { LintIssue } from "../template/lint";
import type { FinishStep } from "./campaign-types";
import { hideToken } from "./run-handle";
import type { RunHandle, Session } from "./types";

export { isPuffleError, PuffleError } from "../base/puffle-error";

/**
 * No answer came back: the connection failed, was dropped, or (subclass
 * {@link APIConnectionTimeoutError}) timed out. Idempotent requests were retried first. For
 * `runTurn` and `generateExamples` the SDK reads the session before deciding, so a turn is never
 * sent twice; a refused connection or an unknown host proves nothing was sent, so those are sent
 * again after a backoff and end with `dispatch: "not_sent"`.
 *
 * @example
 * ```ts
 * import { APIConnectionError } from "puffle-chat";
 * try { await puffle.getSession(id); } catch (error) {
 *   if (error instanceof APIConnectionError) console.error("Puffle unreachable:", error.message);
 * }
 * ```
 */
export class APIConnectionError extends PuffleError {
  static override readonly brand: string = "APIConnectionError";
  /** The request method. */
  readonly method: string | undefined;
  /** The request path. */
  readonly path: string | undefined;

  constructor(message: string, options: { cause?: unknown; method?: string; path?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.method = options.method;
    this.path = options.path;
  }
}

/**
 * An attempt took longer than the `timeout` option and was abandoned (after the retries that
 * were safe). Raise `timeout` for slow operations such as `generateContent`.
 *
 * @example
 * ```ts
 * import { APIConnectionTimeoutError } from "puffle-chat";
 * try { await puffle.getSession(id, { timeout: 5_000 }); } catch (error) {
 *   if (error instanceof APIConnectionTimeoutError) console.error("timed out");
 * }
 * ```
 */
export class APIConnectionTimeoutError extends APIConnectionError {
  static override readonly brand: string = "APIConnectionTimeoutError";
  /** The per-attempt timeout that ran out, in milliseconds (when that is what ran out). */
  readonly timeoutMs: number | undefined;
  /** The whole call's `deadline` that ran out, in milliseconds (when that is what ran out). */
  readonly deadlineMs: number | undefined;

  constructor(
    message: string,
    options: {
      cause?: unknown;
      method?: string;
      path?: string;
      timeoutMs?: number;
      deadlineMs?: number;
    } = {},
  ) {
    super(message, options);
    this.timeoutMs = options.timeoutMs;
    this.deadlineMs = options.deadlineMs;
  }
}

/**
 * The caller's `signal` was aborted. Everything in flight stopped at once: the request, any
 * retry sleep, any wait or subscription. `cause` is the signal's reason.
 *
 * @example
 * ```ts
 * import { APIUserAbortError } from "puffle-chat";
 * const controller = new AbortController();
 * setTimeout(() => controller.abort(), 1_000);
 * try { await puffle.waitForIdle(id, { signal: controller.signal }); } catch (error) {
 *   if (error instanceof APIUserAbortError) console.log("cancelled");
 * }
 * ```
 */
export class APIUserAbortError extends PuffleError {
  static override readonly brand: string = "APIUserAbortError";

  constructor(message = "The operation was aborted by its signal.", options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * One problem with an argument: where it is and what to fix.
 *
 * @example
 * ```ts
 * const issue: ValidationIssue = { path: ["turn", "message"], message: "must not be empty" };
 * ```
 */
export interface ValidationIssue {
  /** Path to the offending value, for example `["sampleLeads", 0, "first_name"]`. */
  path: Array<string | number>;
  /** What is wrong and what to do. */
  message: string;
}

/**
 * An argument was invalid (a malformed UUID, an empty message, a wrong type, an unknown key).
 * Thrown before anything is sent: no request reached the server. `issues` lists every problem.
 *
 * @example
 * ```ts
 * import { RequestValidationError } from "puffle-chat";
 * try { await puffle.runTurn("not-a-uuid", { message: "" }); } catch (error) {
 *   if (error instanceof RequestValidationError) for (const i of error.issues) console.log(i.path, i.message);
 * }
 * ```
 */
export class RequestValidationError extends PuffleError {
  static override readonly brand: string = "RequestValidationError";
  /** Every problem found. */
  readonly issues: ValidationIssue[];
  /** The SDK method that refused its arguments. */
  readonly operation: string;

  constructor(operation: string, issues: ValidationIssue[]) {
    const list = issues.map((i) => `${formatPath(i.path)} ${i.message}`).join("; ");
    super(`Invalid arguments to ${operation}: ${list}. Nothing was sent.`);
    this.issues = issues;
    this.operation = operation;
  }
}

/**
 * `a.b[0].c` for a path, `(value)` for the root.
 *
 * @internal
 */
export function formatPath(path: Array<string | number | symbol>): string {
  if (path.length === 0) return "(value)";
  return path
    .map((part, index) =>
      typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`,
    )
    .join("");
}

/**
 * The server answered 2xx but the body broke the documented structure (a missing required field,
 * a wrong type, or not JSON at all). Unknown extra keys never cause this. `body` is what arrived.
 *
 * @example
 * ```ts
 * import { ResponseValidationError } from "puffle-chat";
 * try { await puffle.getSession(id); } catch (error) {
 *   if (error instanceof ResponseValidationError) console.error(error.issues, error.body);
 * }
 * ```
 */
export class ResponseValidationError extends PuffleError {
  static override readonly brand: string = "ResponseValidationError";
  /** Every structural problem found. */
  readonly issues: ValidationIssue[];
  /** The body as received (parsed JSON, else text), secrets redacted. */
  readonly body: unknown;
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The SDK method whose answer broke the contract. */
  readonly operation: string;

  constructor(operation: string, status: number, issues: ValidationIssue[], body: unknown) {
    const list = issues
      .slice(0, 5)
      .map((i) => `${formatPath(i.path)} ${i.message}`)
      .join("; ");
    super(
      `The server's answer to ${operation} (${status}) does not match the API contract: ${list}. ` +
        "This is a server or proxy problem, or the SDK is out of date: update puffle-chat, and report it with the body.",
    );
    this.issues = issues;
    this.body = redactValue(body);
    this.status = status;
    this.operation = operation;
  }
}

/**
 * The answer of a paid dispatch (`runTurn`, `generateExamples`, `chat`) was lost (connection
 * dropped, timeout, a gateway 502/503/504, an unreadable 2xx, a 500 after which the session was
 * busy) and reading the session could not tell whether the server acted on it. Puffle has no
 * idempotency key, so sending it again could pay twice: the SDK says "unknown" instead of
 * guessing. `session` is the last state read; `cause` is
 * the failure that lost the answer.
 *
 * What to do: read the session later (`getSession`) and look at its transcript; send again only
 * if the turn is not there. `onUnknown: "resend"` makes the SDK send again by itself after it
 * watched the session for `reconcileTimeout` ms without seeing the turn (at the risk of paying
 * twice if the first request arrives later still).
 *
 * @example
 * ```ts
 * import { DispatchUnknownError } from "puffle-chat";
 * try { await puffle.chat(id, { message }); } catch (error) {
 *   if (error instanceof DispatchUnknownError) console.warn("maybe sent:", error.session?.messages?.at(-1));
 * }
 * ```
 */
export class DispatchUnknownError extends PuffleError {
  static override readonly brand: string = "DispatchUnknownError";
  /** `"runTurn"` or `"generateExamples"`. */
  readonly operation: "runTurn" | "generateExamples";
  /** The session the dispatch was for. */
  readonly sessionId: string;
  /** The last state of the session read while reconciling, when one could be read. */
  readonly session: Session | undefined;
  /** What the reads showed, in words. */
  readonly evidence: string;

  constructor(init: {
    operation: "runTurn" | "generateExamples";
    sessionId: string;
    session: Session | undefined;
    evidence: string;
    cause: unknown;
  }) {
    super(
      `${init.operation} on session ${init.sessionId}: its answer was lost and the session does not show whether it was dispatched (${init.evidence}). ` +
        "It was not sent again, to avoid paying twice: read the session later and send again only if the turn is missing.",
      { cause: init.cause },
    );
    this.operation = init.operation;
    this.sessionId = init.sessionId;
    this.session = init.session;
    this.evidence = init.evidence;
    this.dispatch = "unknown";
  }
}

/**
 * The Trigger.dev run of a turn or an example run failed, crashed, was cancelled or timed out.
 * `runError` is the run's own error; `session` is the session read after the failure.
 *
 * @example
 * ```ts
 * import { TaskFailedError } from "puffle-chat";
 * try { await puffle.chat(id, { message }); } catch (error) {
 *   if (error instanceof TaskFailedError) console.error(error.runStatus, error.runError?.message);
 * }
 * ```
 */
export class TaskFailedError extends PuffleError {
  static override readonly brand: string = "TaskFailedError";
  /** The session whose task failed. */
  readonly sessionId: string;
  /** The Trigger.dev run id. */
  readonly runId: string;
  /** The run's final status (`FAILED`, `CRASHED`, `CANCELED`, …). */
  readonly runStatus: string;
  /** The run's error, as Trigger.dev reported it. */
  readonly runError: { message?: string; name?: string; [key: string]: unknown } | undefined;
  /** The session as read after the failure, when it could be read. */
  readonly session: Session | undefined;
  /**
   * The handle of the run that failed, when the wait had one. Its `publicAccessToken` is read by
   * name only: it never prints, spreads or serialises (`"[REDACTED]"` there).
   */
  override readonly run: RunHandle | undefined;

  constructor(init: {
    sessionId: string;
    runId: string;
    runStatus: string;
    runError?: { message?: string; name?: string; [key: string]: unknown } | undefined;
    session?: Session | undefined;
    run?: RunHandle | undefined;
  }) {
    const reason = init.runError?.message ? `: ${init.runError.message}` : "";
    super(
      `The task of session ${init.sessionId} (run ${init.runId}) ended ${init.runStatus}${reason}. ` +
        "Nothing was written by it; send the turn again (it was not retried automatically, to avoid paying twice).",
    );
    this.sessionId = init.sessionId;
    this.runId = init.runId;
    this.runStatus = init.runStatus;
    this.runError = init.runError;
    this.session = init.session;
    this.run = hideToken(init.run);
  }
}

/**
 * A wait (`waitForIdle`, `chat`, `generateExamplesAndWait`, or the busy wait of `onBusy: "wait"`)
 * reached its `deadline` with the session still busy. It carries what is needed to resume: `run`,
 * the handle of the task that was dispatched (wait again with `waitForIdle(id, { run })`), and
 * `session`, the last state seen (a `task_status` that never clears shows there, and
 * `puffle.updateSession(id, { task_status: null })` is the documented way out of a stuck flag).
 * `dispatched` says whether this operation started a paid task.
 *
 * @example
 * ```ts
 * import { PuffleClient, WaitTimeoutError } from "puffle-chat";
 * const puffle = new PuffleClient();
 * const id = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
 * try {
 *   await puffle.chat(id, { message: "Shorter, please" }, { deadline: 60_000 });
 * } catch (error) {
 *   if (error instanceof WaitTimeoutError && error.run) await puffle.waitForIdle(id, { run: error.run });
 *   else throw error;
 * }
 * ```
 */
export class WaitTimeoutError extends PuffleError {
  static override readonly brand: string = "WaitTimeoutError";
  /** The session waited on. */
  readonly sessionId: string;
  /** The deadline that ran out, in milliseconds. */
  readonly deadlineMs: number;
  /** The last state of the session seen before the deadline, when one was read. */
  readonly session: Session | undefined;
  /**
   * The run this operation dispatched (or was given) and did not see finish; resume with it. Its
   * `publicAccessToken` is read by name only: it never prints, spreads or serialises.
   */
  override readonly run: RunHandle | undefined;
  /** Whether this operation dispatched a (paid) task: `false` when it gave up before sending. */
  readonly dispatched: boolean;

  constructor(
    sessionId: string,
    deadlineMs: number,
    session: Session | undefined,
    run?: RunHandle | undefined,
    options: { dispatched?: boolean; note?: string } = {},
  ) {
    const status = session?.task_status;
    const dispatched = options.dispatched ?? run !== undefined;
    const next = run
      ? "Resume with waitForIdle(id, { run: error.run }) or raise the deadline option;"
      : "Raise the deadline option;";
    super(
      `Session ${sessionId} was still busy${status ? ` (${status})` : ""} after ${deadlineMs} ms.` +
        `${options.note ? ` ${options.note}` : ""} ${next} if the task is stuck, clear it with ` +
        "updateSession(id, { task_status: null }).",
    );
    this.sessionId = sessionId;
    this.deadlineMs = deadlineMs;
    this.session = session;
    this.run = hideToken(run);
    this.dispatched = dispatched;
  }

  /** @deprecated The same as {@link WaitTimeoutError.deadlineMs}. */
  get timeoutMs(): number {
    return this.deadlineMs;
  }
}

/**
 * Why {@link FinishSessionError} refused:
 * - `session-busy`: the session runs a task (`task_status` not null); wait for idle first.
 * - `campaign-not-draft`: the campaign's `status` is not `draft`; only drafts take content.
 * - `node-missing`: the session's node is not in the campaign's sequence (deleted nodes do not
 *   delete their sessions).
 * - `node-type-unknown`: the server did not say the node's `type`.
 * - `node-type-unsupported`: the node is neither `email` nor `ai` (sessions draft one email).
 * - `draft-missing`: an email node, but the session's `draft_subject` or `draft_body` is empty.
 * - `draft-lint`: the draft has lint errors, by default an unfilled `&&instruction&&` block
 *   (`lintIssues` lists them; pass `lint: { instructions: "off" }` to allow blocks).
 * - `no-examples`: an `ai` node, but the session has no `generated_examples` to seed drafts from.
 * - `copy-not-stored`: the write answered, but the node it returned (or the read-back) does not
 *   hold the draft: nothing is reported as copied.
 *
 * @example
 * ```ts
 * import { FinishSessionError, type FinishSessionRefusal } from "puffle-chat";
 * try { await puffle.finishSession(sessionId); } catch (error) {
 *   if (error instanceof FinishSessionError) { const why: FinishSessionRefusal = error.reason; console.log(why); }
 * }
 * ```
 */
export type FinishSessionRefusal =
  | "session-busy"
  | "campaign-not-draft"
  | "node-missing"
  | "node-type-unknown"
  | "node-type-unsupported"
  | "draft-missing"
  | "draft-lint"
  | "no-examples"
  | "copy-not-stored";

/**
 * `finishSession` refused, before or after some steps: `reason` says why, `steps` what was done
 * before (so nothing is reported as done that was not), `lintIssues` the draft's lint errors for
 * `draft-lint`.
 *
 * @example
 * ```ts
 * import { FinishSessionError } from "puffle-chat";
 * try { await puffle.finishSession(sessionId); } catch (error) {
 *   if (error instanceof FinishSessionError) console.error(error.reason, error.steps.map((s) => s.step));
 * }
 * ```
 */
export class FinishSessionError extends PuffleError {
  static override readonly brand: string = "FinishSessionError";
  /** Why it refused. */
  readonly reason: FinishSessionRefusal;
  /** The steps taken before refusing, in order (the last one is the refusal). */
  readonly steps: FinishStep[];
  /** The session. */
  readonly sessionId: string;
  /** The session's campaign, once read. */
  readonly campaignId: string | undefined;
  /** The session's node, once read. */
  readonly nodeId: string | undefined;
  /** For `draft-lint`: the lint errors. */
  readonly lintIssues: LintIssue[] | undefined;

  constructor(
    message: string,
    init: {
      reason: FinishSessionRefusal;
      steps: FinishStep[];
      sessionId: string;
      campaignId?: string | undefined;
      nodeId?: string | undefined;
      lintIssues?: LintIssue[] | undefined;
    },
  ) {
    super(message);
    this.reason = init.reason;
    this.steps = init.steps;
    this.sessionId = init.sessionId;
    this.campaignId = init.campaignId;
    this.nodeId = init.nodeId;
    this.lintIssues = init.lintIssues;
  }
}

/**
 * The answer of a paid `generate_ai` was lost (connection dropped, timeout, a 5xx, an unreadable
 * 2xx): whether the server queued the generation, and charged credits for it, is unknown. It was
 * not sent again, so as not to pay twice. `dispatch` is `"unknown"`; `cause` is the failure.
 *
 * What to do: look at the node's messages later (`listGeneratedMessages`) and send again only if
 * nothing was generated.
 *
 * @example
 * ```ts
 * import { GenerateMessagesUnknownError } from "puffle-chat";
 * try { await puffle.generateCampaignMessages(campaignId, { action: "generate_ai", node_id }); } catch (error) {
 *   if (error instanceof GenerateMessagesUnknownError) console.warn("maybe queued and charged:", error.message);
 * }
 * ```
 */
export class GenerateMessagesUnknownError extends PuffleError {
  static override readonly brand: string = "GenerateMessagesUnknownError";
  /** The campaign. */
  readonly campaignId: string;
  /** The AI node the generation was for. */
  readonly nodeId: string;

  constructor(init: { campaignId: string; nodeId: string; cause: unknown }) {
    super(
      `generate_ai on campaign ${init.campaignId} (node ${init.nodeId}): its answer was lost, so whether the generation was queued and charged is unknown. It was not sent again, to avoid paying twice: check listGeneratedMessages later and send again only if nothing was generated.`,
      { cause: init.cause },
    );
    this.campaignId = init.campaignId;
    this.nodeId = init.nodeId;
    this.dispatch = "unknown";
  }
}
