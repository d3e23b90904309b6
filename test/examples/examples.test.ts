import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ExampleServer, startExample } from "../../examples/browser/server";
import { launchChromium } from "../support/chromium";

let example: ExampleServer;
let browser: Browser;

beforeAll(async () => {
  example = await startExample({ taskDurationMs: 400 });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await example?.close();
});

it("the browser example streams a reply live in Chromium, one turn per double submit, a fresh event list per turn, no API key", async () => {
  const page = await browser.newPage();
  const seen: string[] = [];
  page.on("request", (r) => seen.push(`${r.url()} ${JSON.stringify(r.headers())}`));
  page.on("response", async (r) => seen.push(await r.text().catch(() => "")));
  page.on("console", (m) => seen.push(m.text()));
  await page.goto(example.url);
  await page.waitForSelector('#state[data-state="idle"]');
  await page.fill("#message", "Intro email for VPs of Sales");
  // Two submits in the same task: the controller refuses the second; one turn is dispatched.
  await page.evaluate(() => {
    const form = document.querySelector<HTMLFormElement>("#turn");
    form?.requestSubmit();
    form?.requestSubmit();
  });
  await page.waitForSelector('#state[data-state="streaming"]');
  expect(await page.isDisabled("#send")).toBe(true);
  await page.waitForSelector('#state[data-state="idle"]', { timeout: 20_000 });
  const ledger = example.emulator?.ledger;
  expect(ledger?.turns(example.sessionId)).toBe(1);
  const reply = await page.textContent("#reply");
  expect(reply?.length).toBeGreaterThan(20);
  const types = () =>
    page.$$eval("#events li", (items) => items.map((i) => (i as HTMLElement).dataset.type));
  expect(await types()).toContain("delta");
  expect((await types()).at(-1)).toBe("completed");
  // The second turn's list starts afresh.
  await page.fill("#message", "Shorter please");
  await page.click("#send");
  await page.waitForSelector('#state[data-state="idle"]', { timeout: 20_000 });
  expect(ledger?.turns(example.sessionId)).toBe(2);
  expect((await types()).filter((t) => t === "completed")).toHaveLength(1);
  expect(await page.textContent("#draft")).not.toBe("");
  // The page never saw the API key: only public run tokens, on the realtime endpoints.
  const key = example.emulator?.demo.apiKey ?? "pk_live_";
  expect(seen.length).toBeGreaterThan(5);
  expect(seen.join("\n")).not.toContain(key.slice(24));
  await page.close();
});

it("the Node quick start runs to the end", async () => {
  const { stdout } = await promisify(execFile)(
    "node_modules/.bin/tsx",
    ["examples/node-quickstart.ts"],
    {
      timeout: 60_000,
    },
  );
  expect(stdout).toContain("> Intro email for VPs of Sales");
  expect(stdout).toMatch(/--- /);
});
