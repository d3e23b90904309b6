import type { HttpHandler } from "msw";
import { PuffleError } from "../base/puffle-error";

/**
 * The msw adapter: the same handler as msw request handlers. msw is loaded with a dynamic
 * `import("msw")` only when asked for.
 *
 * @module
 */

/**
 * An msw request handler (msw's `HttpHandler`), as returned by `emulator.mswHandlers()`.
 */
export type MswHandler = HttpHandler;

/**
 * Where the msw handlers answer: the same option names as the client's.
 *
 * @example
 * ```ts
 * import { createEmulator } from "puffle-chat/testing";
 * const emu = createEmulator();
 * await emu.mswHandlers({ baseURL: "https://app.puffle.ai", triggerBaseURL: "https://api.trigger.dev" });
 * ```
 */
export interface MswHandlerOptions {
  /** Base URL of the emulated Puffle API. Default `"https://app.puffle.ai"`. */
  baseURL?: string | undefined;
  /** Base URL of the emulated Trigger.dev realtime API. Default `"https://api.trigger.dev"`. */
  triggerBaseURL?: string | undefined;
  /** @deprecated Use `baseURL` (the client's name). */
  baseUrl?: string | undefined;
  /** @deprecated Use `triggerBaseURL` (the client's name). */
  triggerBaseUrl?: string | undefined;
}

/** Build msw handlers that answer every request under the base URLs with `handle`. */
export async function buildMswHandlers(
  handle: (request: Request) => Promise<Response>,
  options: MswHandlerOptions,
): Promise<HttpHandler[]> {
  let msw: typeof import("msw");
  try {
    msw = await import(/* webpackIgnore: true */ /* @vite-ignore */ "msw");
  } catch {
    throw new PuffleError(
      'puffle-chat/testing: mswHandlers() needs the optional peer dependency "msw" (>= 2). Install it with `npm install -D msw`.',
    );
  }
  const bases = new Set(
    [
      options.baseURL ?? options.baseUrl ?? "https://app.puffle.ai",
      options.triggerBaseURL ?? options.triggerBaseUrl ?? "https://api.trigger.dev",
    ].map((b) => b.replace(/\/+$/, "")),
  );
  return [...bases].map((base) =>
    msw.http.all(`${base}/*`, async ({ request }) => {
      const response = await handle(request);
      return response.type === "error" ? msw.HttpResponse.error() : response;
    }),
  );
}
