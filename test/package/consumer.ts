/**
 * Programs a user would write against the installed package, once with `import` (.mjs) and once
 * with `require` (.cjs). Each starts the emulator from `puffle-chat/testing`, talks to it over real
 * HTTP with `puffle-chat`, follows a run with `puffle-chat/realtime` and lints a draft with
 * `puffle-chat/template`, then prints one JSON line.
 */

/** The shared body; `main`, `realtime`, `testing` and `template` are the entry points' namespaces. */
const BODY = `
const out = {};
out.version = main.VERSION;
out.mainExports = Object.keys(main).sort();
out.realtimeExports = Object.keys(realtime).sort();
out.testingExports = Object.keys(testing).sort();
out.templateExports = Object.keys(template).sort();
const lint = template.lintDraft({ subject: "Hi %frist_name%" }, { availableVarNames: ["first_name"] });
out.templateLint = { ok: lint.ok, codes: lint.issues.map((i) => i.code) };
const emulator = testing.createEmulator({ taskDurationMs: 60, liveHoldMs: 500 });
const server = await emulator.listen();
try {
  const { campaignId, nodeId } = emulator.demo;
  const puffle = new main.PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
    logLevel: "off",
  });
  const session = await puffle.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId });
  const again = await puffle.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId });
  out.session = { id: session.id, same: again.id === session.id, task_status: session.task_status };

  const turn = await puffle.chat(session.id, { message: "Intro email for VPs of Sales" });
  out.chat = {
    mode: turn.wait.mode,
    fallbackReason: turn.wait.fallbackReason ?? null,
    idle: turn.session.task_status === null,
    hasReply: typeof turn.reply === "string" && turn.reply.length > 0,
    turnsInLedger: emulator.ledger.turns(session.id),
  };

  const run = await puffle.runTurn(session.id, { message: "Shorter, please" });
  const types = [];
  for await (const event of realtime.subscribeToChat({
    runId: run.runId,
    publicAccessToken: run.publicAccessToken,
    triggerBaseURL: server.url,
  })) {
    types.push(event.type);
  }
  out.realtime = { types: [...new Set(types)].sort(), last: types.at(-1) ?? null };
  await puffle.waitForIdle(session.id, { run });

  try {
    await puffle.getSession("00000000-0000-4000-8000-000000000000");
    out.notFound = "no error";
  } catch (error) {
    out.notFound = {
      name: error.name,
      isNotFound: error instanceof main.NotFoundError,
      guard: main.isAPIError(error, 404),
      isPuffleError: error instanceof main.PuffleError,
    };
  }
} finally {
  await server.close();
}
process.stdout.write(JSON.stringify(out) + "\\n");
`;

/** The ESM program (check.mjs). */
export const ESM_PROGRAM = `import * as main from "puffle-chat";
import * as realtime from "puffle-chat/realtime";
import * as testing from "puffle-chat/testing";
import * as template from "puffle-chat/template";
${BODY}`;

/** The CommonJS program (check.cjs). */
export const CJS_PROGRAM = `"use strict";
const main = require("puffle-chat");
const realtime = require("puffle-chat/realtime");
const testing = require("puffle-chat/testing");
const template = require("puffle-chat/template");
(async () => {
${BODY}
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/** What both programs print. */
export interface ConsumerReport {
  version: string;
  mainExports: string[];
  realtimeExports: string[];
  testingExports: string[];
  templateExports: string[];
  templateLint: { ok: boolean; codes: string[] };
  session: { id: string; same: boolean; task_status: string | null };
  chat: {
    mode: string;
    fallbackReason: string | null;
    idle: boolean;
    hasReply: boolean;
    turnsInLedger: number;
  };
  realtime: { types: string[]; last: string | null };
  notFound: { name: string; isNotFound: boolean; guard: boolean; isPuffleError: boolean } | string;
}
