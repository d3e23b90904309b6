/**
 * The tool surface is the model-facing API: every tool's name, title, description, schemas and
 * annotations are checked in under test/mcp/__toolsnaps__/<tool>.snap (as tools/list shows them
 * to a client) and compared here, so any change shows in review. `UPDATE_TOOLSNAPS=true npx
 * vitest run test/mcp/toolsnaps.test.ts` rewrites them. Also checked: the limits clients impose
 * (short names, flat object schemas without `$ref`/`$defs`/unions), and honest annotations.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUFFLE_MCP_TOOLS } from "../../src/mcp/index";
import { type Rig, startRig } from "./helpers";

const DIR = join(import.meta.dirname, "__toolsnaps__");
const UPDATE = process.env.UPDATE_TOOLSNAPS === "true";

let rig: Rig;
let tools: { name: string; [key: string]: unknown }[];

beforeAll(async () => {
  rig = await startRig();
  const route = rig.route();
  const mcp = await rig.v1(route);
  tools = (await mcp.listTools()).tools;
  await mcp.close();
  await route.close();
});
afterAll(async () => {
  await rig?.server.close();
});

function walk(value: unknown, visit: (key: string, value: unknown) => void): void {
  if (Array.isArray(value)) for (const v of value) walk(v, visit);
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      visit(k, v);
      walk(v, visit);
    }
}

describe("toolsnaps", () => {
  it("lists every tool, in order", () => {
    expect(tools.map((t) => t.name)).toEqual([...PUFFLE_MCP_TOOLS]);
  });

  for (const name of PUFFLE_MCP_TOOLS) {
    it(`${name} matches its snapshot`, () => {
      const tool = tools.find((t) => t.name === name);
      const text = `${JSON.stringify(tool, null, 2)}\n`;
      const file = join(DIR, `${name}.snap`);
      if (UPDATE || !existsSync(file)) {
        if (!UPDATE)
          throw new Error(`${file} is missing: run with UPDATE_TOOLSNAPS=true to write it`);
        mkdirSync(DIR, { recursive: true });
        writeFileSync(file, text);
      }
      expect(text, `${name} changed: review it, then UPDATE_TOOLSNAPS=true`).toBe(
        readFileSync(file, "utf8"),
      );
    });
  }

  it("fits every client's limits: short names, flat object schemas, no $ref, $defs or input unions", () => {
    for (const tool of tools) {
      expect(tool.name.length).toBeLessThanOrEqual(50);
      expect(tool.name).toMatch(/^[a-z_]+$/);
      for (const key of ["inputSchema", "outputSchema"] as const) {
        const schema = tool[key] as Record<string, unknown>;
        expect(schema.type, `${tool.name} ${key}`).toBe("object");
        expect(schema.anyOf ?? schema.oneOf ?? schema.allOf).toBeUndefined();
        walk(schema, (k) =>
          expect(["$ref", "$defs", "definitions"], `${tool.name} ${key}`).not.toContain(k),
        );
      }
      walk(tool.inputSchema, (k) =>
        expect(["anyOf", "oneOf", "allOf"], tool.name).not.toContain(k),
      );
      expect((tool.inputSchema as { additionalProperties?: unknown }).additionalProperties).toBe(
        false,
      );
      expect(String(tool.description).length).toBeLessThanOrEqual(500);
    }
  });

  it("annotates honestly: reads read-only, plain writes not destructive, only finish destructive", () => {
    const hints = Object.fromEntries(
      tools.map((t) => [t.name, t.annotations as Record<string, unknown>]),
    );
    for (const name of ["puffle_get_campaign", "puffle_wait_for_idle", "puffle_get_draft"])
      expect(hints[name]).toMatchObject({ readOnlyHint: true });
    for (const name of [
      "puffle_start_session",
      "puffle_send_turn",
      "puffle_generate_examples",
      "puffle_draft_campaign",
    ])
      expect(hints[name]).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(hints.puffle_finish_session).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
    expect(hints.puffle_start_session).toMatchObject({ idempotentHint: true });
    expect(hints.puffle_send_turn).toMatchObject({ idempotentHint: false });
  });
});
