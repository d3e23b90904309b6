/**
 * Issue 9, case 6: the configured key is redacted for the client's whole life, even when it does
 * not look like a key and after many other secrets were seen (the registry of run tokens is bounded;
 * the client's key must not fall out of it), and server text copied into error fields
 * (`SessionBusyError.taskStatus` included) is redacted like messages.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { registerSecret } from "../../src/base/redact";
import { PuffleClient, SessionBusyError } from "../../src/index";
import type { Logger } from "../../src/types/index";
import {
  BASE,
  CAMPAIGN_ID,
  HttpResponse,
  http,
  json,
  SESSION_ID,
  SESSIONS,
  setupMswServer,
} from "./helpers";

const { server } = setupMswServer();

/** A key that matches none of the redaction patterns: only the client can know it is one. */
const ODD_KEY = "acme-internal-credential-7f3a9c2e5b1d4f60";

function views(error: unknown): string[] {
  const e = error as Error;
  const out = [e.message, String(e), e.stack ?? "", JSON.stringify(e), inspect(e, { depth: 10 })];
  for (const value of Object.values(e)) out.push(inspect(value, { depth: 10 }));
  return out;
}

function client(lines: string[]) {
  const sink = (message: string, fields?: Record<string, unknown>) =>
    lines.push(`${message} ${inspect(fields ?? {}, { depth: 10 })}`);
  const logger: Logger = { error: sink, warn: sink, info: sink, debug: sink };
  return new PuffleClient({
    apiKey: ODD_KEY,
    baseURL: BASE,
    logger,
    logLevel: "debug",
    maxRetries: 0,
  });
}

describe("the client's own key is redacted for its whole life", () => {
  it("after 600 other secrets were registered, every echo of the key is still redacted", async () => {
    const lines: string[] = [];
    const puffle = client(lines);
    for (let i = 0; i < 600; i++) registerSecret(`tr_pat_other_${i}_${"x".repeat(20)}`);
    server.use(
      http.get(`${SESSIONS}/:id`, () =>
        json({ error: `Invalid key ${ODD_KEY}` }, { status: 401, headers: { "x-echo": ODD_KEY } }),
      ),
      http.get(
        SESSIONS,
        () =>
          new HttpResponse(`<html><title>Not found ${ODD_KEY}</title></html>`, {
            status: 404,
            headers: { "content-type": "text/html" },
          }),
      ),
      http.post(`${SESSIONS}/:id/turn`, () =>
        json({ error: `Session is busy (${ODD_KEY})` }, { status: 409 }),
      ),
      http.patch(`${SESSIONS}/:id`, () =>
        json({ error: { code: ODD_KEY, message: `boom ${ODD_KEY}` } }, { status: 500 }),
      ),
    );
    const errors = [
      await puffle.getSession(SESSION_ID).catch((e: unknown) => e),
      await puffle.listSessions(CAMPAIGN_ID).catch((e: unknown) => e),
      await puffle.runTurn(SESSION_ID, { message: "hi" }).catch((e: unknown) => e),
      await puffle.updateSession(SESSION_ID, { title: "t" }).catch((e: unknown) => e),
    ];
    const busy = errors[2];
    expect(busy instanceof SessionBusyError).toBe(true);
    expect((busy as { taskStatus?: string }).taskStatus).not.toContain(ODD_KEY);
    for (const error of errors) {
      expect(error).toBeInstanceOf(Error);
      for (const view of views(error)) expect(view).not.toContain(ODD_KEY);
    }
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain(ODD_KEY);
  });
});
