/**
 * Where a command talks to: the real Puffle API (when `PUFFLE_API_KEY` is set) or an embedded
 * emulator on 127.0.0.1.
 *
 * @module
 */

import { PuffleClient } from "../index";
import { createEmulator, type ListeningEmulator } from "../testing/index";
import { CliError } from "./errors";

/**
 * Default task duration of the embedded emulator for the CLI, in ms (short, for a snappy demo).
 *
 * @example
 * ```ts
 * createEmulator({ taskDurationMs: DEFAULT_CLI_TASK_DURATION_MS });
 * ```
 */
export const DEFAULT_CLI_TASK_DURATION_MS = 1500;

/**
 * Flags that choose the target.
 */
export interface TargetOptions {
  /** Campaign id. Default: `PUFFLE_CAMPAIGN_ID` (real API) or the emulator's demo campaign. */
  campaign?: string | undefined;
  /** `ai` node id. Default: `PUFFLE_NODE_ID` (real API) or the emulator's demo `ai` node. */
  node?: string | undefined;
  /** Task duration of the embedded emulator, in ms. Default {@link DEFAULT_CLI_TASK_DURATION_MS}. */
  taskDuration?: number | undefined;
}

/**
 * A connected client and the campaign node to work on.
 *
 * @example
 * ```ts
 * const target: Target = await connect({}, process.env);
 * await target.client.getOrCreateSession({ campaign_id: target.campaignId, node_id: target.nodeId });
 * ```
 */
export interface Target {
  client: PuffleClient;
  campaignId: string;
  nodeId: string;
  /** `"emulator"`: an embedded emulator; `"api"`: the API named by the environment. */
  kind: "emulator" | "api";
  /** The Puffle API host. */
  baseURL: string;
  /** The API key in use (print it masked only). */
  apiKey: string;
  /** The embedded emulator's task duration, in ms (emulator only). */
  taskDurationMs: number | undefined;
  /** Stop the embedded emulator (no-op for the real API). Never throws. */
  close(): Promise<void>;
}

/**
 * Connect to the real API when `PUFFLE_API_KEY` is set (the campaign and node then come from the
 * flags or `PUFFLE_CAMPAIGN_ID` / `PUFFLE_NODE_ID`; `PUFFLE_BASE_URL` and `PUFFLE_TRIGGER_BASE_URL`
 * are honoured), otherwise start an embedded emulator and use its demo campaign and `ai` node.
 *
 * @throws {@link CliError} naming every missing setting when `PUFFLE_API_KEY` is set without a
 * campaign or node; the SDK's `PuffleError` for an invalid URL.
 * @example
 * ```ts
 * const target = await connect({ taskDuration: 1500 }, process.env);
 * try { … } finally { await target.close(); }
 * ```
 */
export async function connect(
  options: TargetOptions,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Target> {
  const apiKey = env.PUFFLE_API_KEY?.trim();
  if (apiKey) {
    const campaignId = options.campaign ?? env.PUFFLE_CAMPAIGN_ID?.trim();
    const nodeId = options.node ?? env.PUFFLE_NODE_ID?.trim();
    const missing = [
      campaignId ? undefined : "PUFFLE_CAMPAIGN_ID (or --campaign)",
      nodeId ? undefined : "PUFFLE_NODE_ID (or --node)",
    ].filter((m): m is string => m !== undefined);
    if (!campaignId || !nodeId) {
      throw new CliError(
        `PUFFLE_API_KEY is set, so the real API is used, but ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} missing. Unset PUFFLE_API_KEY to use the embedded emulator.`,
      );
    }
    const client = new PuffleClient({
      apiKey,
      baseURL: env.PUFFLE_BASE_URL || env.PUFFLE_API_BASE_URL || undefined,
      triggerBaseURL: env.PUFFLE_TRIGGER_BASE_URL || undefined,
    });
    return {
      client,
      campaignId,
      nodeId,
      kind: "api",
      baseURL: client.baseURL,
      apiKey,
      taskDurationMs: undefined,
      close: async () => {},
    };
  }
  const taskDurationMs = options.taskDuration ?? DEFAULT_CLI_TASK_DURATION_MS;
  const emulator = createEmulator({ taskDurationMs });
  const server: ListeningEmulator = await emulator.listen({ port: 0, host: "127.0.0.1" });
  const client = new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
  });
  return {
    client,
    campaignId: options.campaign ?? emulator.demo.campaignId,
    nodeId: options.node ?? emulator.demo.nodeId,
    kind: "emulator",
    baseURL: server.url,
    apiKey: server.apiKey,
    taskDurationMs,
    close: () => server.close().catch(() => {}),
  };
}
