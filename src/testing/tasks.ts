import type { ChatStreamChunk } from "../realtime/events";
import type { EmulatorContext } from "./context";
import type { ActiveFault } from "./faults";
import { frameworkTurn, type StandInSequenceContext } from "./llm";
import { renderExample, splitDeltas } from "./llm-render";
import { leadName } from "./names";
import { mapRunStatus, type RunState } from "./runs";
import { TaskCancelled } from "./scheduler";
import { nowIso } from "./store";
import type { EmulatorExample, SessionRow, StreamVersion } from "./types";

/**
 * The two Trigger.dev tasks of the emulated server: `framework-chat-turn` and
 * `framework-chat-examples`. Each moves its run PENDING → EXECUTING → a final status over its
 * duration, streams chat chunks, writes the session and releases its claim.
 *
 * @module
 */

/** Options of one task run. */
export interface TaskOptions {
  durationMs: number;
  streamVersion: StreamVersion;
  /** A `runFails`, `stuckTaskStatus` or `expiredToken` fault taken at dispatch. */
  fault?: ActiveFault | undefined;
}

/** Input of a chat turn. */
export interface TurnInput {
  message: string;
  availableVarNames?: string[] | undefined;
  sampleLeads?: Record<string, unknown>[] | undefined;
  sequenceContext?: StandInSequenceContext | undefined;
}

/** Input of an example run. */
export interface ExamplesInput {
  leads: Record<string, unknown>[];
  isFirstBatch: boolean;
  sequenceContext?: unknown;
}

/** Apply the result of one framework turn to `session` (used by async turns and generate-content). */
export function applyTurn(
  session: SessionRow,
  input: TurnInput,
  result: ReturnType<typeof frameworkTurn>,
): boolean {
  session.messages = [...(session.messages ?? []), { role: "assistant", content: result.reply }];
  let skeletonUpdated = false;
  if (result.skeleton && JSON.stringify(result.skeleton) !== JSON.stringify(session.skeleton)) {
    if (session.skeleton)
      session.skeleton_history = [...(session.skeleton_history ?? []), session.skeleton];
    session.skeleton = result.skeleton;
    session.framework_version = (session.framework_version ?? 0) + 1;
    session.generated_examples = null;
    skeletonUpdated = true;
  }
  if (
    result.draft &&
    (result.draft.subject !== session.draft_subject || result.draft.body !== session.draft_body)
  ) {
    if (session.draft_subject !== null || session.draft_body !== null) {
      session.draft_history = [
        ...(session.draft_history ?? []),
        { subject: session.draft_subject, body: session.draft_body },
      ];
    }
    session.draft_subject = result.draft.subject;
    session.draft_body = result.draft.body;
  }
  void input;
  session.updated_at = nowIso();
  return skeletonUpdated;
}

function release(ctx: EmulatorContext, sessionId: string, fault: ActiveFault | undefined): void {
  const session = ctx.store.sessions.get(sessionId);
  if (!session || fault?.kind === "stuckTaskStatus") return;
  session.task_status = null;
  session.updated_at = nowIso();
}

function emit(ctx: EmulatorContext, run: RunState, chunk: ChatStreamChunk): void {
  ctx.runs.append(run, chunk);
}

function start(ctx: EmulatorContext, run: RunState): void {
  ctx.runs.update(run, { status: "EXECUTING", startedAt: new Date() });
  emit(ctx, run, { type: "status", status: "EXECUTING" });
}

function succeed(ctx: EmulatorContext, run: RunState, output: unknown): void {
  const completedAt = new Date();
  ctx.runs.update(run, {
    status: "COMPLETED_SUCCESSFULLY",
    completedAt,
    output,
    usageDurationMs: completedAt.getTime() - (run.startedAt ?? run.createdAt).getTime(),
    costInCents: 2,
  });
  emit(ctx, run, { type: "status", status: "COMPLETED" });
  emit(ctx, run, { type: "completed", output });
  ctx.runs.closeStream(run);
}

function failRun(ctx: EmulatorContext, run: RunState, fault: ActiveFault): void {
  const status = fault.failureStatus ?? "COMPLETED_WITH_ERRORS";
  const message = fault.errorMessage ?? "Emulated task failure";
  const error = {
    type: "BUILT_IN_ERROR",
    name: "Error",
    message,
    stackTrace: `Error: ${message}\n    at emulator`,
  };
  ctx.runs.update(run, { status, completedAt: new Date(), error });
  const mapped = mapRunStatus(status);
  emit(ctx, run, { type: "status", status: mapped });
  emit(ctx, run, { type: "failed", status: mapped, error });
  ctx.runs.closeStream(run);
}

async function guard(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (!(error instanceof TaskCancelled)) throw error;
  }
}

/** Sleeps `fraction` of the task's duration (cancelled with the emulator). */
type Pause = (fraction: number) => Promise<void>;

/** One running task: what its body works with. */
export interface Task {
  ctx: EmulatorContext;
  run: RunState;
  sessionId: string;
  fault: ActiveFault | undefined;
  pause: Pause;
}

/**
 * Run `body` as the task of `run` for `sessionId`: QUEUED, EXECUTING after a tenth of the
 * duration, then `body`; tracked by the scheduler, quietly ended when the emulator closes.
 */
export function startTask(
  ctx: EmulatorContext,
  run: RunState,
  sessionId: string,
  options: TaskOptions,
  body: (task: Task) => Promise<void>,
): void {
  const epoch = ctx.scheduler.epoch;
  const pause: Pause = (fraction) => ctx.scheduler.sleep(options.durationMs * fraction, epoch);
  const task = guard(async () => {
    emit(ctx, run, { type: "status", status: "QUEUED" });
    await pause(0.1);
    start(ctx, run);
    await body({ ctx, run, sessionId, fault: options.fault, pause });
  });
  ctx.scheduler.track(task);
}

/** The `runFails` fault: after 40 % of the duration, release the claim, fail the run; true if so. */
async function failedByFault({ ctx, run, sessionId, fault, pause }: Task): Promise<boolean> {
  if (fault?.kind !== "runFails") return false;
  await pause(0.4);
  release(ctx, sessionId, undefined);
  failRun(ctx, run, fault);
  return true;
}

/** The body of a chat turn, for a session already claimed with `chat_processing`. */
export async function turnTask(task: Task, input: TurnInput): Promise<void> {
  const { ctx, run, sessionId, fault, pause } = task;
  const session = ctx.store.sessions.get(sessionId);
  const history = [...(session?.messages ?? [])];
  const skeleton = session?.skeleton ?? null;
  if (session) {
    session.messages = [...history, { role: "user", content: input.message }];
    session.updated_at = nowIso();
  }
  if (await failedByFault(task)) return;
  const result = frameworkTurn({
    history,
    message: input.message,
    skeleton,
    availableVarNames: input.availableVarNames,
    sampleLeads: input.sampleLeads,
    sequenceContext: input.sequenceContext,
    nodeType: session ? ctx.store.nodes.get(session.node_id)?.type : undefined,
  });
  const deltas = splitDeltas(result.reply, 4);
  for (const text of deltas) {
    await pause(0.5 / deltas.length);
    emit(ctx, run, { type: "delta", text });
  }
  await pause(0.2);
  const current = ctx.store.sessions.get(sessionId);
  const nextVersion = (current?.framework_version ?? session?.framework_version ?? 0) + 1;
  if (result.skeleton)
    emit(ctx, run, {
      type: "skeleton",
      skeleton: result.skeleton,
      framework_version: nextVersion,
    });
  if (result.draft)
    emit(ctx, run, { type: "draft", subject: result.draft.subject, body: result.draft.body });
  await pause(0.2);
  let skeletonUpdated = false;
  const latest = ctx.store.sessions.get(sessionId);
  if (latest) skeletonUpdated = applyTurn(latest, input, result);
  release(ctx, sessionId, fault);
  succeed(ctx, run, {
    kind: "turn",
    session_id: sessionId,
    reply: result.reply,
    skeleton_updated: skeletonUpdated,
    framework_version: latest?.framework_version ?? null,
    draft: result.draft,
    messages_appended: 2,
  });
}

/** The body of an example run, for a session already claimed with `generating_examples`. */
export async function examplesTask(task: Task, input: ExamplesInput): Promise<void> {
  const { ctx, run, sessionId, fault, pause } = task;
  if (await failedByFault(task)) return;
  const session = ctx.store.sessions.get(sessionId);
  const template =
    session?.draft_subject && session.draft_body
      ? { subject: session.draft_subject, body: session.draft_body }
      : {
          subject: String(session?.skeleton?.subject ?? ""),
          body: String(session?.skeleton?.body ?? ""),
        };
  const examples: EmulatorExample[] = [];
  for (const lead of input.leads) {
    await pause(0.8 / Math.max(1, input.leads.length));
    const example = renderExample(template, lead);
    // The name the example is for: what resolve matches prospects by (the real field is
    // undocumented; the emulator's choice is `lead_name`).
    const name = leadName(lead);
    if (name !== undefined) example.lead_name = name;
    examples.push(example);
    emit(ctx, run, { type: "example", example });
  }
  await pause(0.1);
  const latest = ctx.store.sessions.get(sessionId);
  if (latest) {
    latest.generated_examples = input.isFirstBatch
      ? examples
      : [...(latest.generated_examples ?? []), ...examples];
    latest.updated_at = nowIso();
  }
  release(ctx, sessionId, fault);
  succeed(ctx, run, {
    kind: "examples",
    session_id: sessionId,
    count: examples.length,
    lead_ids: examples.map((e) => e.lead_id),
    is_first_batch: input.isFirstBatch,
  });
}
