/**
 * The API report: the public surface of every library entry, as @microsoft/api-extractor sees
 * the built declarations (dist/*.d.ts), checked into etc/<entry>.api.md so that every change to
 * the public surface shows in review.
 *
 *   node scripts/api-report.mjs           check: fails when a report differs (npm test runs this)
 *   node scripts/api-report.mjs --update  rewrite etc/*.api.md after an intended change
 *
 * Needs a build (npx tsup) first.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ENTRIES = [
  "index",
  "realtime",
  "testing",
  "server",
  "mcp",
  "campaign",
  "react",
  "template",
  "openapi",
  "types",
  "otel",
  "pg-boss",
  "trigger",
];
const update = process.argv.includes("--update");

const tmp = join(ROOT, "node_modules", ".cache", "api-extractor");
mkdirSync(tmp, { recursive: true });
const failed = [];
for (const entry of ENTRIES) {
  const dts = join(ROOT, "dist", `${entry}.d.ts`);
  if (!existsSync(dts)) {
    console.error(`dist/${entry}.d.ts is missing: run \`npx tsup\` first.`);
    process.exit(1);
  }
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: ROOT,
      mainEntryPointFilePath: dts,
      compiler: { tsconfigFilePath: join(ROOT, "tsconfig.build.json") },
      apiReport: {
        enabled: true,
        reportFileName: `${entry}.api.md`,
        reportFolder: join(ROOT, "etc"),
        reportTempFolder: tmp,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // The report itself is the product; notes about doc comments and unexported names
        // (tsup's hashed chunks) are not.
        extractorMessageReporting: { default: { logLevel: "none" } },
        tsdocMessageReporting: { default: { logLevel: "none" } },
        compilerMessageReporting: { default: { logLevel: "warning" } },
      },
    },
    configObjectFullPath: join(ROOT, "api-extractor.json"),
    packageJsonFullPath: join(ROOT, "package.json"),
  });
  const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false });
  if (result.apiReportChanged && !update) failed.push(entry);
  else if (!result.succeeded && !result.apiReportChanged) failed.push(entry);
  console.log(
    `etc/${entry}.api.md: ${result.apiReportChanged ? (update ? "updated" : "DIFFERS") : "up to date"}`,
  );
}
if (failed.length > 0) {
  console.error(
    `\nThe public API changed (${failed.join(", ")}): if that is intended, run \`npm run api-report\` and commit etc/*.api.md.`,
  );
  process.exit(1);
}
