/**
 * What the terminal chat says when a step fails: the SDK's message, except where the SDK names
 * its own methods (`generateExamplesAndWait`, `waitForIdle`): there the chat names its commands.
 *
 * @module
 */

import { FinishSessionError } from "../index";
import { oneLine } from "./errors";

/**
 * One line for `error`, with chat commands in place of SDK method names.
 *
 * @example
 * ```ts
 * view.error(chatErrorText(error)); // "Cannot finish (no-examples): an ai node is finished from its examples, … run /examples, then /finish."
 * ```
 */
export function chatErrorText(error: unknown): string {
  if (!(error instanceof FinishSessionError)) return oneLine(error);
  return `Cannot finish (${error.reason}): ${finishHint(error)}`;
}

function finishHint(error: FinishSessionError): string {
  switch (error.reason) {
    case "session-busy":
      return "the session is busy with a turn or an example run; wait for it to end, then /finish again.";
    case "no-examples":
      return "an ai node is finished from its examples, and there are none yet: run /examples, then /finish.";
    case "draft-missing":
      return "there is no draft yet; chat until Puffle writes one, then /finish.";
    case "draft-lint": {
      const codes = [...new Set((error.lintIssues ?? []).map((i) => i.code))].join(", ");
      return `the draft has lint errors (${codes}); an email node is sent as written. Ask Puffle for "the final text", or fix it with /edit or /set subject|body, then /finish.`;
    }
    default:
      return oneLine(error);
  }
}
