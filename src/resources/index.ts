/**
 * Every declared operation of the Puffle API, for the layers that read them all (the parity test
 * against openapi.yaml and the emulator, docs).
 *
 * @internal
 * @module
 */
import {
  getCampaignOp,
  replaceSequenceOp,
  updateCampaignOp,
  updateSequenceNodeOp,
} from "./campaigns";
import { generateContentOp } from "./content";
import {
  generateAiMessagesOp,
  listGeneratedMessagesOp,
  resolveMessagesOp,
  updateGeneratedMessageOp,
} from "./messages";
import type { Operation } from "./operation";
import {
  createSessionOp,
  deleteSessionOp,
  generateExamplesOp,
  getSessionOp,
  listSessionsOp,
  runTurnOp,
  updateSessionOp,
} from "./sessions";

/** What every declaration says, whatever its argument and response types. */
export type OperationInfo = Pick<
  Operation<unknown, unknown>,
  "operationId" | "method" | "path" | "retry"
>;

/** Every declaration (an operation with two retry classes is declared once per class). */
export const OPERATIONS: readonly OperationInfo[] = [
  createSessionOp,
  listSessionsOp,
  getSessionOp,
  updateSessionOp,
  deleteSessionOp,
  runTurnOp,
  generateExamplesOp,
  generateContentOp,
  getCampaignOp,
  updateCampaignOp,
  replaceSequenceOp,
  updateSequenceNodeOp,
  resolveMessagesOp,
  generateAiMessagesOp,
  listGeneratedMessagesOp,
  updateGeneratedMessageOp,
];
