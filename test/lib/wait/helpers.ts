import { PuffleClient } from "../../../src/client";
import type { ClientOptions } from "../../../src/core/options";
import {
  createEmulator,
  type EmulatorOptions,
  type ListeningEmulator,
} from "../../../src/testing/index";

/** An emulator on loopback and a client pointed at it, plus a request counter by path. */
export async function setup(options: EmulatorOptions = {}, client: ClientOptions = {}) {
  const server: ListeningEmulator = await createEmulator({
    taskDurationMs: 150,
    liveHoldMs: 2_000,
    ...options,
  }).listen();
  const emu = server.emulator;
  const requests: string[] = [];
  const puffle = new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
    logLevel: "off",
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.startsWith("/api/"))
        requests.push(
          `${(input instanceof Request ? input.method : init?.method) ?? "GET"} ${url.pathname}`,
        );
      return globalThis.fetch(input, init);
    },
    ...client,
  });
  const session = await puffle.getOrCreateSession({
    campaign_id: emu.demo.campaignId,
    node_id: emu.demo.nodeId,
  });
  requests.length = 0;
  return { server, emu, puffle, session, requests };
}
