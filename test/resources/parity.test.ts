/**
 * Every operation declared in src/resources/ is in openapi.yaml (same method and path, same
 * operationId) and served by the emulator (a request built from the declaration reaches a route:
 * not the router's 404 for an unknown path, nor a 405).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { OPERATIONS } from "../../src/resources/index";
import { fillPath } from "../../src/resources/operation";
import { createEmulator } from "../../src/testing/index";

type Spec = { paths: Record<string, Record<string, { operationId?: string }>> };
const spec = parse(
  readFileSync(fileURLToPath(new URL("../../openapi.yaml", import.meta.url)), "utf8"),
) as Spec;

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** A path template with its parameter names blanked, so `{id}` and `{sessionId}` compare equal. */
const shape = (path: string) => path.replace(/\{\w+\}/g, "{}");

describe("resource declarations", () => {
  it("declares operations", () => {
    expect(OPERATIONS.length).toBeGreaterThanOrEqual(14);
  });

  it.each(OPERATIONS.map((op) => [`${op.operationId} (${op.retry})`, op] as const))(
    "%s is in openapi.yaml with that method, path and operationId",
    (_, op) => {
      const entry = Object.entries(spec.paths).find(([path]) => shape(path) === shape(op.path));
      expect(entry, `no path ${op.path} in openapi.yaml`).toBeDefined();
      const operation = entry?.[1][op.method.toLowerCase()];
      expect(operation, `no ${op.method} ${op.path} in openapi.yaml`).toBeDefined();
      expect(operation?.operationId).toBe(op.operationId);
    },
  );

  it.each(OPERATIONS.map((op) => [`${op.method} ${op.path}`, op] as const))(
    "the emulator serves %s",
    async (_, op) => {
      const emu = createEmulator();
      const ids = { campaignId: emu.demo.campaignId, nodeId: emu.demo.nodeId };
      const path = fillPath(op.path, { ...ids, sessionId: crypto.randomUUID() });
      const response = await emu.handle(
        new Request(`http://emu${path}`, {
          method: op.method,
          headers: {
            authorization: `Bearer ${emu.demo.apiKey}`,
            "content-type": "application/json",
          },
          ...(op.method === "GET" || op.method === "DELETE" ? {} : { body: "{}" }),
        }),
      );
      expect(response.status).not.toBe(405);
      // The router counts a request only when a route matched: a 404 of the route itself (the
      // random session is not found) is fine, the router's own 404 is not.
      expect(total(emu.ledger.requests), `${op.method} ${path} reached no route`).toBe(1);
      await emu.close();
    },
  );
});
