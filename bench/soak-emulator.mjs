/**
 * The emulator of bench/soak.mjs, in its own process (forked with IPC), so that the soak's heap
 * figures are the client's alone and the server's timers never share the client's event loop.
 * Messages: { id, cmd: "nodes", n } → node ids of a draft campaign; { id, cmd: "inject", spec };
 * { id, cmd: "clear" }; { id, cmd: "ledger" } → dispatch counts per message and requests per
 * operation; { cmd: "close" } exits.
 */

import { createEmulator } from "puffle-chat/testing";

const taskDurationMs = Number(process.argv[2] ?? 100);
const emulator = createEmulator({ taskDurationMs, liveHoldMs: 2_000 });
const server = await emulator.listen();
process.send({
  type: "ready",
  url: server.url,
  apiKey: server.apiKey,
  campaignId: emulator.demo.campaignId,
});

process.on("message", async (message) => {
  const reply = (result) => process.send({ id: message.id, result });
  switch (message?.cmd) {
    case "nodes": {
      const ids = [];
      for (let i = 0; i < message.n; i++) {
        ids.push(emulator.addNode(emulator.demo.campaignId, { type: "ai" }));
      }
      return reply(ids);
    }
    case "inject":
      emulator.faults.inject(message.spec);
      return reply(true);
    case "clear":
      emulator.faults.clear();
      return reply(true);
    case "ledger": {
      const counts = {};
      for (const d of emulator.ledger.dispatches) {
        if (d.message !== undefined) counts[d.message] = (counts[d.message] ?? 0) + 1;
      }
      return reply({ counts, requests: emulator.ledger.requests });
    }
    case "close":
      await server.close();
      process.exit(0);
  }
});
