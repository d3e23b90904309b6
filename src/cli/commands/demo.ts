/**
 * `puffle-chat demo`: the whole documented flow, start to finish, with everything it produced.
 *
 * @module
 */

import type { GeneratedExample, Session } from "../../index";
import { lintDraft } from "../../template/index";
import { oneLine } from "../errors";
import { formatFinish } from "../finish-report";
import { formatExample, formatState, formatTranscript, formatWait, maskKey } from "../format";
import type { CliIo } from "../io";
import { createPrinter } from "../output";
import { createProgress } from "../progress";
import {
  DEMO_MESSAGES,
  LINT_OPTIONS,
  leadLabel,
  renderForLead,
  SAMPLE_LEADS,
  SAMPLE_VAR_NAMES,
} from "../samples";
import { connect, type TargetOptions } from "../target";

/**
 * Flags of `puffle-chat demo`.
 *
 * @example
 * ```ts
 * await runDemo({ taskDuration: 50 } satisfies DemoOptions, processIo());
 * ```
 */
export type DemoOptions = TargetOptions;

/**
 * Run the demo: get or create the session, three turns, examples for three leads, then
 * `finishSession` (draft onto the node or examples onto the prospects, then resolve); print the
 * transcript, skeleton, draft, lint report, each example with the draft rendered for its lead,
 * and for every wait its mode, request count and duration. Uses the embedded emulator unless
 * `PUFFLE_API_KEY` is set.
 *
 * @returns the exit code: 0 on success, 1 after printing a one-line error to stderr.
 * @example
 * ```ts
 * const code = await runDemo({ taskDuration: 50 }, processIo());
 * ```
 */
export async function runDemo(options: DemoOptions, io: CliIo): Promise<number> {
  const print = createPrinter(io.stdout);
  const progress = createProgress(io.stdout);
  let target: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    target = await connect(options, io.env);
    const { client } = target;
    print.line(
      target.kind === "emulator"
        ? `Puffle chat demo against an embedded emulator (tasks take ${target.taskDurationMs} ms)`
        : "Puffle chat demo against the Puffle API",
    );
    print.line(`URL: ${target.baseURL}`);
    // Already masked; written directly so that redaction does not decorate the prefix.
    io.stdout.write(`API key: ${maskKey(target.apiKey)} (masked)\n`);
    print.line(`Campaign: ${target.campaignId}`);
    print.line(`AI node: ${target.nodeId}`);

    let session: Session = await client.getOrCreateSession({
      campaign_id: target.campaignId,
      node_id: target.nodeId,
    });
    print.line(`Session: ${session.id}`);

    for (const [i, message] of DEMO_MESSAGES.entries()) {
      print.section(`Turn ${i + 1}`, `You: ${message}`);
      progress.start(`Turn ${i + 1}: waiting for Puffle`);
      const turn = await client.chat(session.id, {
        message,
        availableVarNames: [...SAMPLE_VAR_NAMES],
        sampleLeads: [...SAMPLE_LEADS],
      });
      progress.succeed(`Turn ${i + 1} done`);
      session = turn.session;
      print.line(`Puffle: ${turn.reply ?? "(no reply)"}`);
      print.line(
        `Skeleton: ${turn.skeletonChanged === undefined ? "unknown" : turn.skeletonChanged ? "changed" : "unchanged"}`,
      );
      print.line(`Wait: ${formatWait(turn.wait)}`);
    }

    print.section("Transcript", formatTranscript(session.messages));
    const draft = { subject: session.draft_subject, body: session.draft_body };
    const lint = lintDraft(draft, LINT_OPTIONS);
    for (const [title, body] of formatState(session, lint)) print.section(title, body);

    print.section("Examples", `Generating examples for ${SAMPLE_LEADS.length} leads`);
    progress.start("Examples: waiting for Puffle");
    const run = await client.generateExamples(session.id, { leads: [...SAMPLE_LEADS] });
    const wait = await client.waitForIdleDetailed(session.id, { run });
    progress.succeed("Examples done");
    session = wait.session;
    const examples: GeneratedExample[] = session.generated_examples ?? [];
    examples.forEach((example, i) => {
      const lead = SAMPLE_LEADS[i];
      const rendered = renderForLead(draft, lead);
      print.line();
      print.line(formatExample(i + 1, leadLabel(lead), example, rendered));
    });
    // The dispatch request is not counted by waitForIdleDetailed; add it.
    print.line(`\nWait: ${formatWait({ ...wait, requests: wait.requests + 1 })}`);

    // The last step of the documented flow: put the draft on its node (email) or seed the
    // examples onto the prospects (ai), and resolve the draft messages for launch.
    progress.start("Finishing: copying the draft and resolving messages");
    const finished = await client.finishSession(session.id);
    progress.succeed("Finished");
    print.section("Finish", formatFinish(finished));
    print.line(
      `\nDone: ${DEMO_MESSAGES.length} turns, ${examples.length} examples. ${finished.nodeMessages.length} draft messages resolved for launch.`,
    );
    return 0;
  } catch (error) {
    progress.fail("Failed");
    io.stderr.write(`Error: ${oneLine(error)}\n`);
    return 1;
  } finally {
    await target?.close();
  }
}
