/**
 * Real Chromium: a page loads an esbuild bundle of puffle-chat/realtime from a loopback server,
 * subscribes to an emulator run on another origin (CORS) and renders every event in order.
 */

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/chromium";
import { expectStatusesInLifecycleOrder } from "../support/lifecycle";
import {
  createSession,
  type EmulatorHarness,
  postTurn,
  startEmulator,
  waitIdle,
} from "./fixtures/emulator-helpers";

const HTML = `<!doctype html><html><head><meta charset="utf-8"><title>puffle-chat realtime</title></head>
<body><div id="state" data-state="loading">loading</div><ol id="events"></ol>
<script type="module" src="/page.js"></script></body></html>`;

let h: EmulatorHarness;
let pageServer: Server;
let pageOrigin: string;
let browser: Browser;

beforeAll(async () => {
  // The entry itself, bundled for browsers exactly as a user's bundler would…
  const entry = await build({
    entryPoints: ["src/realtime/index.ts"],
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    write: false,
    logLevel: "silent",
  });
  // …and the page, which imports it from /realtime.js at run time.
  const page = await build({
    entryPoints: ["test/realtime/fixtures/browser/page.ts"],
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    logLevel: "silent",
    plugins: [
      {
        name: "realtime-entry-external",
        setup(b) {
          b.onResolve({ filter: /src\/realtime\/index$/ }, () => ({
            path: "/realtime.js",
            external: true,
          }));
        },
      },
    ],
  });
  const files: Record<string, string> = {
    "/realtime.js": entry.outputFiles[0]?.text ?? "",
    "/page.js": page.outputFiles[0]?.text ?? "",
  };
  expect(files["/page.js"]).toContain('from "/realtime.js"');
  pageServer = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const script = files[path];
    if (script !== undefined) {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(script);
    } else {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(HTML);
    }
  });
  await new Promise<void>((resolve) => pageServer.listen(0, "127.0.0.1", resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  h = await startEmulator();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  if (pageServer) {
    pageServer.closeAllConnections();
    await new Promise<void>((resolve) => pageServer.close(() => resolve()));
  }
});

/** Open the page on a run; unless `ended` is false, wait until its subscription ended. */
async function open(
  handle: { runId: string; publicAccessToken: string },
  mode = "chat",
  ended = true,
): Promise<Page> {
  const page = await browser.newPage();
  const query = new URLSearchParams({
    runId: handle.runId,
    token: handle.publicAccessToken,
    base: h.url,
    mode,
  });
  await page.goto(`${pageOrigin}/?${query}`);
  if (ended) await untilEnded(page);
  return page;
}

async function untilEnded(page: Page): Promise<void> {
  await page.waitForSelector('#state[data-state="done"], #state[data-state="error"]', {
    timeout: 20_000,
  });
}

async function rendered(page: Page): Promise<{ type: string; text: string }[]> {
  return page.$$eval("#events li", (items) =>
    items.map((li) => ({
      type: (li as HTMLElement).dataset.type ?? "",
      text: li.textContent ?? "",
    })),
  );
}

describe("puffle-chat/realtime in Chromium", () => {
  it("renders every chat event of an emulator run in order, from another origin", async () => {
    const session = await createSession(h);
    const first = await postTurn(h, session, "Intro email for VPs of Sales");
    await open(first).then((p) => p.close());
    await waitIdle(h, session);
    const handle = await postTurn(h, session, "Mention SOC 2, keep it short", {
      streamVersion: "v2",
    });
    const page = await open(handle);
    expect(await page.getAttribute("#state", "data-state")).toBe("done");
    const items = await rendered(page);
    const run = h.emu.getRun(handle.runId);
    const stored = h.emu.getSession(session);
    const output = run?.output as { reply: string };
    const types = items.map((i) => i.type);
    expect(types[0]).toBe("status");
    expect(types.at(-1)).toBe("completed");
    expect(types.filter((t) => t === "completed")).toHaveLength(1);
    const deltas = items.filter((i) => i.type === "delta").map((i) => i.text);
    expect(deltas.join("")).toBe(output.reply);
    expect(deltas).toEqual(run?.chunks.flatMap((c) => (c.type === "delta" ? [c.text] : [])));
    expect(items.find((i) => i.type === "skeleton")?.text).toBe(JSON.stringify(stored?.skeleton));
    expect(items.find((i) => i.type === "draft")?.text).toBe(
      `${stored?.draft_subject}\n${stored?.draft_body}`,
    );
    expect(types.lastIndexOf("delta")).toBeLessThan(types.indexOf("skeleton"));
    expect(types.indexOf("skeleton")).toBeLessThan(types.indexOf("draft"));
    expect(types.indexOf("draft")).toBeLessThan(types.indexOf("completed"));
    expect(JSON.parse(items.at(-1)?.text ?? "null")).toEqual(output);
    // The page may subscribe after the run finished (Chromium starts slowly under load): only the
    // order of the statuses it saw is promised, not that it saw EXECUTING.
    const statuses = items.filter((i) => i.type === "status").map((i) => i.text);
    expectStatusesInLifecycleOrder(statuses, "COMPLETED");
    await page.close();
  });

  it("renders run updates with subscribeToRun", async () => {
    const session = await createSession(h);
    // The emulator holds the run (its queued phase alone lasts a minute) until the page has shown
    // the run's current state, which a subscriber is promised first; then it finishes the run, and
    // the page must follow it live to the end. No race with Chromium's start-up.
    const handle = await postTurn(h, session, "Hello", { durationMs: 600_000 });
    const page = await open(handle, "run", false);
    await page.waitForSelector('#events li[data-type="run"]', { timeout: 20_000 });
    // Still queued (the feed says QUEUED for the emulator's PENDING run), not completed.
    expect((await rendered(page))[0]).toEqual({ type: "run", text: "QUEUED" });
    await h.emu.finishTasks();
    await untilEnded(page);
    expect(await page.getAttribute("#state", "data-state")).toBe("done");
    const items = await rendered(page);
    expect(items.at(-1)).toEqual({ type: "run", text: "COMPLETED completed" });
    expectStatusesInLifecycleOrder(
      items.map((i) => i.text.replace(/ completed$/, "")),
      "COMPLETED",
    );
    await page.close();
  });

  it("shows the typed error in the page for an expired token", async () => {
    const session = await createSession(h);
    const handle = await postTurn(h, session, "Hello");
    h.emu.expireTokens(handle.runId);
    const page = await open(handle);
    expect(await page.getAttribute("#state", "data-state")).toBe("error");
    expect(await page.getAttribute("#state", "data-kind")).toBe("unauthorized");
    expect(await page.getAttribute("#state", "data-status")).toBe("401");
    const message = (await page.textContent("#state")) ?? "";
    expect(message).toMatch(/expired or not for this run/);
    expect(message).not.toContain(handle.publicAccessToken);
    expect(await rendered(page)).toEqual([]);
    await page.close();
  });
});
