/**
 * The API reference as readers see it: typedoc builds the site (with the project's config and
 * plugin) into a temp dir, real Chromium opens it, and the test checks the navigation a reader
 * uses (modules named by import path, topic groups, the guides, the generated OpenAPI types in
 * their own module only) and saves
 * screenshots of the index, the client page and a guide under test-results/docs/ to look at.
 */

import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NODE, ROOT } from "../package/pack";
import { launchChromium } from "../support/chromium";

const SHOTS = join(ROOT, "test-results", "docs");
let out = "";
let browser: Browser | undefined;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "puffle-chat-ref-"));
  await promisify(execFile)(
    NODE,
    [join(ROOT, "node_modules/typedoc/bin/typedoc"), "--out", out, "--treatWarningsAsErrors"],
    { cwd: ROOT, timeout: 120_000 },
  );
  await mkdir(SHOTS, { recursive: true });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

async function open(path: string): Promise<Page> {
  if (!browser) throw new Error("Chromium did not start (see the beforeAll error)");
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(pathToFileURL(join(out, path)).href);
  // The sidebar is built by script from assets/navigation.js.
  await page.waitForSelector(".tsd-navigation a", { timeout: 20_000 });
  return page;
}

/** The sidebar's entries, in order, as text. */
async function sidebar(page: Page): Promise<string[]> {
  // Expand every folded branch first, so that nested entries are in the DOM text.
  await page.$$eval("#tsd-nav-container details", (all) => {
    for (const d of all) (d as HTMLDetailsElement).open = true;
  });
  return page.$$eval("#tsd-nav-container a, #tsd-nav-container summary", (all) =>
    all.map((a) => (a.textContent ?? "").trim()).filter(Boolean),
  );
}

describe("the API reference in Chromium", () => {
  it("index: one title, modules named by import path, the guides", async () => {
    const page = await open("index.html");
    const titles = await page.$$eval("h1", (all) => all.map((h) => (h.textContent ?? "").trim()));
    expect(titles).toEqual(["puffle-chat"]);
    const nav = await sidebar(page);
    for (const name of [
      "puffle-chat",
      "puffle-chat/realtime",
      "puffle-chat/testing",
      "puffle-chat/server",
      "puffle-chat/react",
      "puffle-chat/template",
      "puffle-chat/types",
      "puffle-chat/openapi",
    ]) {
      expect(nav).toContain(name);
    }
    expect(nav).not.toContain("index");
    for (const guide of [
      "Your first draft in five minutes",
      "Waiting and realtime",
      "Errors and retries",
      "Browser apps",
      "Testing your app with the emulator",
      "Finishing a draft for launch",
    ]) {
      expect(nav).toContain(guide);
    }
    for (const group of [
      "Client",
      "Waiting",
      "Errors",
      "Drafts",
      "Campaigns",
      "Realtime",
      "Testing",
      "OpenAPI",
    ]) {
      expect(nav).toContain(group);
    }
    // A landing page of its own, not the README: short, with the guides listed in the README's
    // order (scripts/guides.mjs) and the client linked.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeLessThan(2_500);
    const links = await page.$$eval(".col-content a", (all) =>
      all.map((a) => (a.textContent ?? "").trim()),
    );
    expect(links).toEqual(
      expect.arrayContaining(["PuffleClient", "Your first draft in five minutes"]),
    );
    expect(await page.textContent(".col-content")).not.toContain("Runtime dependencies, and why");
    await page.screenshot({ path: join(SHOTS, "index.png"), fullPage: true });
    // The whole navigation, expanded, to look at its grouping.
    await page.setViewportSize({ width: 1280, height: 3600 });
    await page.screenshot({
      path: join(SHOTS, "navigation.png"),
      clip: { x: 0, y: 0, width: 300, height: 3600 },
    });
    await page.close();
  });

  it("each module page says what the entry is for", async () => {
    for (const [file, words] of [
      ["modules/puffle-chat.html", /typed SDK/],
      ["modules/puffle-chat_realtime.html", /public access token/],
      ["modules/puffle-chat_testing.html", /emulator/],
      ["modules/puffle-chat_server.html", /route/],
      ["modules/puffle-chat_react.html", /React/],
      ["modules/puffle-chat_template.html", /lint a draft/],
      ["modules/puffle-chat_types.html", /every type of the client/],
      ["modules/puffle-chat_openapi.html", /generated from `?openapi\.yaml/],
    ] as const) {
      const page = await open(file);
      expect(await page.textContent(".col-content")).toMatch(words);
      await page.close();
    }
  });

  it("the generated OpenAPI types are the puffle-chat/openapi module, not the root's", async () => {
    const names = async (file: string) => {
      const page = await open(file);
      const text = await page.$$eval(".col-content .tsd-member-summary-name a", (all) =>
        all.map((a) => (a.textContent ?? "").trim()).filter(Boolean),
      );
      await page.close();
      return text;
    };
    expect(await names("modules/puffle-chat_openapi.html")).toEqual(
      expect.arrayContaining(["components", "operations", "paths"]),
    );
    const root = await names("modules/puffle-chat.html");
    expect(root).toContain("PuffleClient");
    for (const name of ["components", "operations", "paths", "lintDraft"]) {
      expect(root).not.toContain(name);
    }
  });

  it("the client page groups its members and links the types it uses", async () => {
    const page = await open("classes/puffle-chat.PuffleClient.html");
    const headings = await page.$$eval(".col-content h2", (all) =>
      all.map((h) => (h.textContent ?? "").trim()),
    );
    // The methods grouped by task, in the order a reader needs them (scripts/typedoc-plugin.mjs).
    expect(headings.slice(0, 6)).toEqual([
      "Constructors",
      "Sessions and turns",
      "Examples",
      "Campaigns",
      "Finishing",
      "Low level",
    ]);
    const firstGroup = await page.$eval("h2#sessions-and-turns-1", (h) =>
      [...(h.closest("details")?.querySelectorAll("section.tsd-member h3") ?? [])].map((m) =>
        (m.textContent ?? "").replace(/\W+$/, "").trim(),
      ),
    );
    expect(firstGroup.slice(0, 4)).toEqual([
      "getOrCreateSession",
      "chat",
      "runTurn",
      "waitForIdle",
    ]);
    // Each method's Throws names the errors, not another method's list.
    const throws = await page.$$eval(".tsd-tag-throws", (all) =>
      all.map((t) => (t.textContent ?? "").replace(/\s+/g, " ")),
    );
    expect(throws.length).toBeGreaterThan(20);
    expect(
      throws.filter((t) => /everything|the same errors as|errors of the calls/i.test(t)),
    ).toEqual([]);
    // The types of the signatures are named, with a link to their own page, not spelled out.
    const links = await page.$$eval(".tsd-signature a", (all) =>
      all.map((a) => (a.textContent ?? "").trim()),
    );
    for (const type of ["Session", "RunHandle", "ChatResult", "Campaign", "CampaignDetail"]) {
      expect(links).toContain(type);
    }
    const getSession = await page.textContent("#getsession + .tsd-signatures .tsd-signature");
    expect(getSession).not.toContain("draft_subject");
    await page.screenshot({ path: join(SHOTS, "client.png") });
    await page.screenshot({ path: join(SHOTS, "client-full.png"), fullPage: true });
    await page.close();
  });

  it("a guide renders as a page of the site, with its code highlighted", async () => {
    const page = await open("documents/Errors_and_retries.html");
    expect(await page.textContent("h1")).toBe("Errors and retries");
    expect(await page.$$("pre code .hl-0, pre code .hl-1")).not.toHaveLength(0);
    await page.screenshot({ path: join(SHOTS, "guide-errors-and-retries.png") });
    await page.close();
  });
});
