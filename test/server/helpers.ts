/** What the server tests share: an emulator over real HTTP, a client of it, the demo session. */

import { PuffleClient } from "../../src/index";
import {
  createEmulator,
  type EmulatorOptions,
  type ListeningEmulator,
} from "../../src/testing/index";

export interface EmulatedPuffle {
  server: ListeningEmulator;
  client: PuffleClient;
  /** The demo campaign node's session. */
  sessionId: string;
}

/** Start an emulator on 127.0.0.1 and a client of it (no retries); close `server` after. */
export async function emulatedPuffle(options: EmulatorOptions): Promise<EmulatedPuffle> {
  const server = await createEmulator(options).listen();
  const client = new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
    maxRetries: 0,
  });
  const { campaignId, nodeId } = server.emulator.demo;
  const session = await client.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId });
  return { server, client, sessionId: session.id };
}
