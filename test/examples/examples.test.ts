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

it("the browser example streams a reply live in Chromium, with no API key in the page", async () => {
  const page = await browser.newPage();
  const seen: string[] = [];
  page.on("request", (r) => seen.push(`${r.url()} ${JSON.stringify(r.headers())}`));
  await page.goto(example.url);
  await page.waitForSelector('#state[data-state="ready"]');
  await page.fill("#message", "Intro email for VPs of Sales");
  await page.click("button[type=submit]");
  await page.waitForSelector('#state[data-state="done"]', { timeout: 20_000 });
  const reply = await page.textContent("#reply");
  expect(reply?.length).toBeGreaterThan(20);
  const types = await page.$$eval("#events li", (items) =>
    items.map((i) => (i as HTMLElement).dataset.type),
  );
  expect(types).toContain("delta");
  expect(types.at(-1)).toBe("completed");
  // The page only ever sent the public token (to the realtime endpoints), never an API key.
  expect(seen.join("\n")).not.toMatch(/pk_live_/);
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
