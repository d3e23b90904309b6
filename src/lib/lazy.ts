/**
 * The compositions with the most code, loaded on first use: an app that only reads and writes
 * sessions never loads the dispatch rule, the waits, `finishSession` (with the draft linter) or
 * the campaign writes, and a bundler splits them out of what a browser loads first. Each export
 * has the type of the function it stands for. Nothing is sent before the arguments and options
 * are checked: the facade checks them before loading (runTurn, generateExamples, the waits, the
 * campaign writes), or the loaded function checks them first (chat, generateExamplesAndWait,
 * finishSession, draftCampaign, advanceSession).
 *
 * @internal
 * @module
 */

/** `name` of the module `load` brings, loaded when first called. */
function deferred<M, K extends keyof M>(load: () => Promise<M>, name: K): M[K] {
  const call = async (...args: unknown[]) =>
    ((await load())[name] as (...a: unknown[]) => unknown)(...args);
  return call as M[K];
}

const campaigns = () => import("./campaigns");
const chatModule = () => import("./chat");
const dispatch = () => import("./dispatch-task");

export const updateCampaign = deferred(campaigns, "updateCampaign");
export const generateMessages = deferred(campaigns, "generateMessages");
export const chat = deferred(chatModule, "chat");
export const generateExamplesAndWait = deferred(chatModule, "generateExamplesAndWait");
export const runTurn = deferred(dispatch, "runTurn");
export const generateExamples = deferred(dispatch, "generateExamples");
export const finishSession = deferred(() => import("./finish"), "finishSessionChecked");
export const draftCampaign = deferred(() => import("./draft-campaign"), "draftCampaign");
export const advanceSession = deferred(() => import("./advance-session"), "advanceSessionChecked");
export const waitForIdleDetailed = deferred(() => import("./wait-for-idle"), "waitForIdleDetailed");
