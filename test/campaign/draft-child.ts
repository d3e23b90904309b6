/**
 * The child process of the crash test (crash.test.ts): one `draftCampaign` run against the
 * emulator the test serves, with or without a file store; prints `ready` when it starts, then the
 * result as one JSON line. The test kills it with SIGKILL at random points and runs it again.
 */
import { createFileStore } from "../../src/campaign/index";
import { PuffleClient } from "../../src/client";

const env = process.env;
const puffle = new PuffleClient({
  apiKey: env.CRASH_API_KEY,
  baseURL: env.CRASH_URL,
  triggerBaseURL: env.CRASH_URL,
  logLevel: "off",
  timeout: 1_500,
  retryDelay: 50,
  retryMaxDelay: 300,
  maxRetryAfter: 1_500,
});
const store = env.CRASH_STORE ? createFileStore(env.CRASH_STORE) : undefined;
process.stdout.write("ready\n");
const result = await puffle.draftCampaign(env.CRASH_CAMPAIGN as string, {
  brief: "Intro to VPs of Sales about our forecasting tool",
  concurrency: 2,
  quietPeriod: 2_500,
  deadline: 120_000,
  ...(store ? { store } : {}),
});
process.stdout.write(`${JSON.stringify(result)}\n`);
