// The README's quick start, runnable offline: an emulator stands in for Puffle.
//   npx tsx examples/node-quickstart.ts
import { PuffleClient } from "../src/index";
import { createEmulator } from "../src/testing/index";

const server = await createEmulator({ taskDurationMs: 500 }).listen();
const { campaignId, nodeId, leads } = server.emulator.demo;
try {
  const puffle = new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
  });
  const session = await puffle.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId });
  for (const message of ["Intro email for VPs of Sales", "Focus on time to ROI, keep it short"]) {
    const turn = await puffle.chat(session.id, {
      message,
      availableVarNames: ["first_name", "company"],
    });
    console.log(
      `> ${message}\n${turn.reply}\n(${turn.wait.mode}, ${turn.wait.requests} requests)\n`,
    );
  }
  const done = await puffle.generateExamplesAndWait(session.id, {
    leads: leads.slice(0, 2).map(({ id: _id, campaign_id: _c, ...lead }) => lead),
  });
  for (const example of done.generated_examples ?? [])
    console.log(`--- ${example.subject}\n${example.body}\n`);
} finally {
  await server.close();
}
