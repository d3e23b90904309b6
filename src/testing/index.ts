/**
 * `puffle-chat/testing`: an in-memory emulator of the Puffle campaign AI chat API and the
 * Trigger.dev realtime endpoints, served over `node:http` or as msw handlers.
 *
 * @example
 * ```ts
 * import { createEmulator } from "puffle-chat/testing";
 * const server = await createEmulator({ taskDurationMs: 50 }).listen();
 * await server.close();
 * ```
 *
 * @module
 */

export { DEFAULT_SETTINGS, type EmulatorSettings } from "./context";
export {
  createEmulator,
  Emulator,
  type EmulatorOptions,
  type ListeningEmulator,
} from "./emulator";
export type { EmulatorRunInfo } from "./emulator-rows";
export { type ActiveFault, type FaultKind, type FaultSpec, Faults } from "./faults";
export { Ledger, type LedgerCampaignWrite, type LedgerDispatch } from "./ledger";
export { DEFAULT_VAR_NAMES } from "./llm";
export type { MswHandler, MswHandlerOptions } from "./msw-adapter";
export type { ListenOptions } from "./node-server";
export type { EmulatorDemo, SeedCampaignOptions, SeededCampaign } from "./seed";
export type {
  CampaignRow,
  EmulatorExample,
  EmulatorMessage,
  EmulatorOperation,
  GeneratedMessageRow,
  LeadRow,
  NodeRow,
  RunFailureStatus,
  SessionRow,
  StreamVersion,
} from "./types";
