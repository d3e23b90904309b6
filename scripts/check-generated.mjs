// Fails when generated/openapi.ts is not what openapi-typescript makes of openapi.yaml today.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "puffle-gen-"));
try {
  const out = join(dir, "openapi.ts");
  execFileSync("openapi-typescript", ["openapi.yaml", "-o", out], { stdio: "pipe" });
  const fresh = readFileSync(out, "utf8");
  const committed = readFileSync("generated/openapi.ts", "utf8");
  if (fresh !== committed) {
    console.error("generated/openapi.ts is stale: run `npm run generate` and commit the result.");
    process.exit(1);
  }
  console.log("generated/openapi.ts matches openapi.yaml");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
