/**
 * The version of puffle-chat (kept equal to package.json's by a test).
 *
 * @example
 * ```ts
 * import { VERSION } from "puffle-chat";
 * console.log(`puffle-chat ${VERSION}`);
 * ```
 */
export const VERSION = "0.1.0";
