/**
 * What a user's program does on each runtime, as source text written into the project that has the
 * packed tarball installed: createSession → chat over realtime (twice, so the session gets its
 * skeleton) → generateExamplesAndWait → runTurn and subscribeToChat to its end → waitForIdle.
 * Every client option is passed explicitly (nothing read from the environment).
 */

/** `scenario(m, cfg)`: `m` holds PuffleClient and subscribeToChat; returns a {@link RuntimeReport}. */
const SCENARIO = `
async function scenario(m, cfg) {
  const client = new m.PuffleClient({
    apiKey: cfg.apiKey,
    baseURL: cfg.url,
    triggerBaseURL: cfg.url,
    logLevel: "off",
  });
  const session = await client.createSession({ campaign_id: cfg.campaignId, node_id: cfg.nodeId });
  const first = await client.chat(session.id, { message: "Intro email for VPs of Sales" });
  const second = await client.chat(session.id, { message: "Focus on time to ROI, keep it short" });
  const withExamples = await client.generateExamplesAndWait(session.id, {
    leads: [
      { first_name: "Ada", company: "Analytical Engines", position: "VP of Sales" },
      { first_name: "Grace", company: "Cobol Systems", position: "Head of Revenue" },
      { first_name: "Alan", company: "Enigma Labs", position: "Sales Director" },
    ],
  });
  const run = await client.runTurn(session.id, { message: "Shorter, please" });
  const events = [];
  for await (const event of m.subscribeToChat({
    runId: run.runId,
    publicAccessToken: run.publicAccessToken,
    triggerBaseURL: cfg.url,
  })) {
    events.push(event);
  }
  const idle = await client.waitForIdle(session.id, { run });
  const last = events.at(-1);
  const deltas = events.filter((e) => e.type === "delta").map((e) => e.text).join("");
  return {
    version: m.VERSION,
    chat: {
      modes: [first.wait.mode, second.wait.mode],
      replied: typeof first.reply === "string" && first.reply.length > 0,
      skeleton: second.session.skeleton != null,
    },
    examples: (withExamples.generated_examples ?? []).length,
    stream: {
      first: events[0] ? events[0].type : null,
      last: last ? last.type : null,
      completed: events.filter((e) => e.type === "completed").length,
      deltas: deltas.length,
      deltasAreTheReply: last && last.output ? deltas === last.output.reply : false,
    },
    idle: idle.task_status === null,
  };
}
`;

/** What every program reports (one JSON line, or the Response body of the worker). */
export interface RuntimeReport {
  version: string;
  chat: { modes: string[]; replied: boolean; skeleton: boolean };
  examples: number;
  stream: {
    first: string | null;
    last: string | null;
    completed: number;
    deltas: number;
    deltasAreTheReply: boolean;
  };
  idle: boolean;
}

/** Starts the emulator from puffle-chat/testing on 127.0.0.1, runs the scenario, prints JSON. */
const MAIN = `
const emulator = createEmulator({ taskDurationMs: 60, liveHoldMs: 300, pingIntervalMs: 100 });
const server = await emulator.listen({ host: "127.0.0.1" });
let report;
try {
  report = await scenario(
    { PuffleClient, subscribeToChat, VERSION },
    { url: server.url, apiKey: server.apiKey, ...emulator.demo },
  );
} finally {
  await server.close();
  await emulator.close();
}
console.log(JSON.stringify(report));
`;

/** ESM (Node, Bun, Deno). The process must exit by itself: nothing may stay alive. */
export const ESM_PROGRAM = `import { PuffleClient, VERSION } from "puffle-chat";
import { subscribeToChat } from "puffle-chat/realtime";
import { createEmulator } from "puffle-chat/testing";
${SCENARIO}
${MAIN}`;

/** CommonJS (Node `require`). */
export const CJS_PROGRAM = `"use strict";
const { PuffleClient, VERSION } = require("puffle-chat");
const { subscribeToChat } = require("puffle-chat/realtime");
const { createEmulator } = require("puffle-chat/testing");
${SCENARIO}
(async () => {
${MAIN}
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/**
 * A Cloudflare Worker (module syntax): the emulator runs outside workerd (a Worker cannot listen);
 * its URL, key and demo ids come as bindings.
 */
export const WORKER_PROGRAM = `import { PuffleClient, VERSION } from "puffle-chat";
import { subscribeToChat } from "puffle-chat/realtime";
${SCENARIO}
export default {
  async fetch(request, env) {
    try {
      const report = await scenario(
        { PuffleClient, subscribeToChat, VERSION },
        { url: env.EMULATOR_URL, apiKey: env.API_KEY, campaignId: env.CAMPAIGN_ID, nodeId: env.NODE_ID },
      );
      return Response.json(report);
    } catch (error) {
      return new Response(String(error && error.stack ? error.stack : error), { status: 500 });
    }
  },
};
`;

/**
 * The browser page: `puffle-chat/realtime` only (the API key stays on the server). Follows the run
 * named in the query string to its end and leaves the outcome in `window.__result`.
 */
export const BROWSER_PAGE = `import { subscribeToChat, isRealtimeError } from "puffle-chat/realtime";

async function main() {
  const params = new URLSearchParams(location.search);
  const events = [];
  try {
    for await (const event of subscribeToChat({
      runId: params.get("runId"),
      publicAccessToken: params.get("token"),
      triggerBaseURL: params.get("base"),
    })) {
      events.push(event);
      const item = document.createElement("li");
      item.textContent = event.type;
      document.body.append(item);
    }
    window.__result = { ok: true, events };
  } catch (error) {
    window.__result = { ok: false, kind: isRealtimeError(error) ? error.kind : null, error: String(error) };
  }
}

main();
`;

/** The HTML shell every bundler's output is served in. */
export function browserHtml(script: string, module: boolean): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>puffle-chat runtime smoke</title></head><body>
<script ${module ? 'type="module" ' : ""}src="${script}"></script></body></html>`;
}
