/**
 * The SDK's errors as tool refusals: what went wrong, whether anything was sent, and what the
 * agent should do next. An error the tools do not expect is `internal_error` (details to the
 * server's `onError`, never to the model).
 *
 * @internal
 * @module
 */
import { isPuffleError } from "../base/puffle-error";
import {
  AuthenticationError,
  BadRequestError,
  InsufficientCreditsError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SessionBusyError,
  SkeletonRequiredError,
} from "../core/api-errors";
import { DraftCampaignError } from "../core/draft-errors";
import {
  APIConnectionError,
  APIUserAbortError,
  DispatchUnknownError,
  FinishSessionError,
  formatPath,
  RequestValidationError,
  TaskFailedError,
} from "../core/errors";
import { ToolRefusal } from "./result";

/** What the error says about a paid dispatch, as a sentence (empty for other calls). */
function dispatchNote(error: unknown): string {
  const fate = isPuffleError(error) ? error.dispatch : undefined;
  if (fate === "not_sent") return " Nothing was sent (nothing to pay).";
  if (fate === "sent") return " The request had been dispatched.";
  if (fate === "unknown") return " Whether Puffle received the request is unknown.";
  return "";
}

/** An SDK error as a refusal; `undefined` for an error that is not one of the SDK's answers. */
export function refusalOf(error: unknown): ToolRefusal | undefined {
  if (error instanceof ToolRefusal) return error;
  const sent = dispatchNote(error);
  return answerRefusal(error, sent) ?? outcomeRefusal(error, sent);
}

/** Refusals of the request itself: its arguments, or what Puffle answered to it. */
function answerRefusal(error: unknown, sent: string): ToolRefusal | undefined {
  if (error instanceof RequestValidationError) {
    // The SDK names its parameters in camelCase; the tools' arguments are snake_case.
    const list = error.issues
      .map((i) =>
        `${formatPath(i.path)} ${i.message}`.replace(/\b(session|campaign|node)Id\b/g, "$1_id"),
      )
      .join("; ");
    return new ToolRefusal(
      "invalid_arguments",
      `Invalid arguments: ${list}.`,
      "fix these arguments and call again (nothing was sent).",
    );
  }
  if (error instanceof SessionBusyError) {
    return new ToolRefusal(
      "session_busy",
      `The session is busy (${error.taskStatus ?? "running a task"}).${sent}`,
      "call puffle_wait_for_idle, then puffle_get_draft to see what that task did, before sending anything.",
    );
  }
  if (error instanceof SkeletonRequiredError) {
    return new ToolRefusal(
      "skeleton_required",
      `The session has no skeleton yet, so it cannot write examples.${sent}`,
      "send more turns with puffle_send_turn until puffle_get_draft shows a skeleton.",
    );
  }
  if (error instanceof InsufficientCreditsError) {
    return new ToolRefusal(
      "insufficient_credits",
      `Puffle refused: not enough credits.${sent}`,
      "ask the user to add credits in Puffle; do not retry until then.",
    );
  }
  if (error instanceof NotFoundError) {
    return new ToolRefusal(
      "not_found",
      "Puffle has no such campaign, node or session for this API key.",
      "check the id: puffle_get_campaign lists a campaign's nodes and their sessions.",
    );
  }
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    return new ToolRefusal(
      "puffle_auth",
      "Puffle refused this server's API key.",
      "tell the user to check PUFFLE_API_KEY in the MCP server's configuration; retrying will not help.",
    );
  }
  if (error instanceof RateLimitError) {
    const wait = Math.ceil((error.retryAfterMs ?? 30_000) / 1000);
    return new ToolRefusal(
      "rate_limited",
      `Puffle is rate limiting this key.${sent}`,
      `wait about ${wait} s, then call again.`,
    );
  }
  if (error instanceof BadRequestError) {
    return new ToolRefusal(
      "bad_request",
      `Puffle refused the request: ${error.serverMessage ?? error.message}${sent}`,
      "read the reason, fix the arguments or the campaign state, and call again.",
    );
  }
  return undefined;
}

/** Refusals of what a composition or a task came to: finish, draft, a failed or lost task. */
function outcomeRefusal(error: unknown, sent: string): ToolRefusal | undefined {
  if (error instanceof FinishSessionError) return finishRefusal(error);
  if (error instanceof DraftCampaignError) {
    return new ToolRefusal(
      "draft_refused",
      `draftCampaign refused (${error.reason}): ${error.message}`,
      error.reason === "unknown-node"
        ? "puffle_get_campaign lists the campaign's node ids."
        : "read the reason; puffle_get_campaign shows the campaign and its nodes.",
    );
  }
  if (error instanceof TaskFailedError) {
    return new ToolRefusal(
      "task_failed",
      `The task ran at Puffle and failed (run ${error.runId}, ${error.runStatus}).`,
      "call puffle_get_draft to see the session, then send again with puffle_send_turn (repeat: true for the same text).",
    );
  }
  if (error instanceof DispatchUnknownError) {
    return new ToolRefusal(
      "puffle_unavailable",
      `Puffle's answer was lost and the session does not show the request (${error.evidence}).`,
      "call puffle_wait_for_idle, then puffle_get_draft; send again only if the transcript does not show it.",
    );
  }
  if (error instanceof APIUserAbortError) {
    // The client cancelled the call (or went away): nobody may read this, but it stays true.
    return new ToolRefusal(
      "cancelled",
      `The call was cancelled before it ended.${sent}`,
      "call puffle_wait_for_idle, then puffle_get_draft, to see the session before sending anything.",
    );
  }
  if (error instanceof APIConnectionError || error instanceof InternalServerError) {
    return new ToolRefusal(
      "puffle_unavailable",
      `Puffle could not be reached or failed.${sent}`,
      sent.includes("unknown")
        ? "call puffle_get_draft in a minute to see whether it arrived before sending again."
        : "try again in a minute.",
    );
  }
  return undefined;
}

function finishRefusal(error: FinishSessionError): ToolRefusal {
  const steps = error.steps.map((s) => `${s.step}: ${s.outcome}`).join(", ");
  const lint = (error.lintIssues ?? [])
    .slice(0, 5)
    .map((i) => `${i.field} ${i.line}:${i.column} ${i.message}`)
    .join(" ");
  const next: Record<string, string> = {
    "session-busy": "call puffle_wait_for_idle, then finish again.",
    "draft-lint":
      "ask for a fix with puffle_send_turn (the lint report is in puffle_get_draft), then finish again.",
    "draft-missing": "send turns until the session has a draft, then finish again.",
    "no-examples": "generate examples with puffle_generate_examples, then finish again.",
    "campaign-not-draft": "the campaign is no longer a draft: nothing can be written to it.",
  };
  return new ToolRefusal(
    "finish_refused",
    `finishSession refused (${error.reason}): ${error.message}${lint ? ` Lint: ${lint}` : ""} Steps so far: ${steps || "none"}.`,
    next[error.reason] ?? "read the reason; puffle_get_campaign shows the campaign and its nodes.",
  );
}
