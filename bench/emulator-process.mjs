/**
 * The emulator of bench/concurrency.mjs, in its own process (forked with IPC) so that the client
 * process's memory and CPU figures are the SDK's alone. It adds N campaigns, listens on loopback,
 * reports { url, apiKey, campaigns }, answers "ledger" with what the server really did, and exits
 * on "close".
 */

import { createEmulator } from "puffle-chat/testing";

const count = Number(process.argv[2] ?? 1000);
const taskDurationMs = Number(process.argv[3] ?? 1000);
const emulator = createEmulator({ taskDurationMs });
const campaigns = [];
for (let i = 0; i < count; i++) campaigns.push(emulator.addCampaign({ name: `bench ${i}` }));
const server = await emulator.listen();
process.send({ type: "ready", url: server.url, apiKey: server.apiKey, campaigns });

process.on("message", async (message) => {
  if (message?.type === "ledger") {
    const ids = message.sessionIds;
    const perSession = ids.map((id) => emulator.ledger.turns(id));
    const rows = ids.map((id) => emulator.getSession(id));
    process.send({
      type: "ledger",
      dispatches: emulator.ledger.dispatches.length,
      turnRequests: emulator.ledger.requests.turn,
      requests: emulator.ledger.requests,
      sessionsWithOneTurn: perSession.filter((n) => n === 1).length,
      sessionsIdle: rows.filter((r) => r && r.task_status === null).length,
      sessionsWithReply: rows.filter((r) => r?.messages?.at(-1)?.role === "assistant").length,
      runningTasks: emulator.runningTasks,
      rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    });
  } else if (message?.type === "close") {
    await server.close();
    process.exit(0);
  }
});
