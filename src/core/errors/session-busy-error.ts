import { brand, hasKind } from "../../base/brand";
import { redactText } from "../../base/redact";
import type { TaskStatus } from "../types";
import type { APIErrorInit } from "./api-error";
import { ConflictError } from "./conflict-error";

/**
 * 409: the session already runs a task (`Session is busy (<task_status>)`), so the turn or
 * example run was not started. Wait for idle (`waitForIdle`) and send again, or pass
 * `onBusy: "wait"` to let the SDK do that. Never retried automatically by default.
 *
 * @example
 * ```ts
 * import { isSessionBusyError } from "puffle-chat";
 * try { await puffle.runTurn(id, { message }); } catch (error) {
 *   if (isSessionBusyError(error)) console.log("busy with", error.taskStatus);
 * }
 * ```
 */
export class SessionBusyError extends ConflictError {
  override name = "SessionBusyError";
  /** The task the session is busy with, parsed from the message (`chat_processing`, …), if named. */
  readonly taskStatus: TaskStatus | undefined;

  constructor(init: APIErrorInit, taskStatus: TaskStatus | undefined) {
    // The server's message already says "Session is busy (<task>)": the hint only says what to do.
    super(
      init,
      'Nothing was started: wait until it is idle (puffle.waitForIdle) and send again, or pass onBusy: "wait".',
    );
    // Server text: redacted like the message, and bounded.
    this.taskStatus =
      taskStatus === undefined ? undefined : (redactText(taskStatus).slice(0, 200) as TaskStatus);
    brand(this, "SessionBusyError");
  }
}

/** Parse the task name out of `Session is busy (<status>)`; undefined when it is not that message. */
export function parseBusyMessage(message: string | undefined): {
  busy: boolean;
  taskStatus: string | undefined;
} {
  if (!message) return { busy: false, taskStatus: undefined };
  const match = /session is busy(?:\s*\(([^)]*)\))?/i.exec(message);
  if (!match) return { busy: false, taskStatus: undefined };
  const status = match[1]?.trim();
  return { busy: true, taskStatus: status ? status : undefined };
}

/**
 * True when `value` is a {@link SessionBusyError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isSessionBusyError(error)) await puffle.waitForIdle(id);
 * ```
 */
export function isSessionBusyError(value: unknown): value is SessionBusyError {
  return hasKind(value, "SessionBusyError");
}
