/**
 * Tool schemas: zod 4 schemas handed to the MCP SDK as Standard Schemas with their JSON Schema.
 *
 * @internal
 * @module
 */
import * as z from "zod";

/** The Standard Schema + JSON Schema shape `McpServer.registerTool` takes. */
export interface ToolSchema<T> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => { value: T } | { issues: { message: string }[] };
    readonly types?: { readonly input: T; readonly output: T } | undefined;
    readonly jsonSchema: {
      readonly input: () => Record<string, unknown>;
      readonly output: () => Record<string, unknown>;
    };
  };
}

/**
 * The JSON Schema a client is shown: draft 2020-12 without `$schema`, inlined (no `$ref`, no
 * `$defs`: some clients drop such tools silently).
 */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: "draft-2020-12", reused: "inline", io: "input" });
  const { $schema: _dialect, ...rest } = json as Record<string, unknown>;
  return rest;
}

/**
 * An input schema whose `validate` lets every value through: the tool's own handler parses the
 * arguments with `schema`, so a model's mistake becomes a tool result listing every problem and
 * what to fix (the SDK's own message is a raw issue dump). The advertised document is the schema's.
 */
export function inputSchema<T>(schema: z.ZodType<T>): ToolSchema<T> {
  const json = jsonSchemaOf(schema);
  return {
    "~standard": {
      version: 1,
      vendor: "puffle-chat",
      validate: (value) => ({ value: value as T }),
      jsonSchema: { input: () => json, output: () => json },
    },
  };
}

/**
 * An output schema that really checks: a result that does not match is a bug of ours, and the SDK
 * answers it as a tool error rather than sending a client something its schema refuses.
 */
export function outputSchema<T>(schema: z.ZodType<T>): ToolSchema<T> {
  const json = jsonSchemaOf(schema);
  return {
    "~standard": {
      version: 1,
      vendor: "puffle-chat",
      validate: (value) => {
        const parsed = schema.safeParse(value);
        return parsed.success
          ? { value: parsed.data }
          : {
              issues: parsed.error.issues.map((i) => ({
                message: `${i.path.join(".")}: ${i.message}`,
              })),
            };
      },
      jsonSchema: { input: () => json, output: () => json },
    },
  };
}
