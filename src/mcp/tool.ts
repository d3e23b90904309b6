/**
 * The shape of one tool: its name, texts, schemas and annotations (the model-facing API, kept in
 * test/mcp/__toolsnaps__), and its body, which gets a {@link ToolContext}.
 *
 * @internal
 * @module
 */
import type * as z from "zod";
import type { PuffleClient } from "../client";
import type { Desk } from "./desk";
import type { McpSettings, PuffleMcpToolName } from "./options";
import type { ToolAnswer } from "./result";

/** MCP tool annotations (hints for the client; the tools enforce their own rules). */
export interface ToolHints {
  readOnlyHint: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint: boolean;
}

/** A tool that writes nothing. */
export const READS: ToolHints = { readOnlyHint: true, openWorldHint: true };
/** A plain write (or paid dispatch): not destructive, as the defaults would say it is. */
export const WRITES: ToolHints = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
};

/** What a tool body may use. */
export interface ToolContext {
  settings: McpSettings;
  client: PuffleClient;
  desk: Desk;
  /** Aborts when the client cancels the call or goes away: it ends a wait, never a task. */
  signal: AbortSignal;
  /** Send a progress notification; a no-op when the client asked for none. */
  progress(message: string): Promise<void>;
  /**
   * Ask the HTTP route's `authorize` about the ids this call names (stdio: always allowed);
   * throws a refusal. Called before anything is sent to Puffle.
   */
  authorize(ids: {
    campaignId?: string | undefined;
    sessionId?: string | undefined;
  }): Promise<void>;
}

/** One tool. `I` is its parsed arguments, `O` its `structuredContent`. */
export interface ToolDef<I = never, O = unknown> {
  name: PuffleMcpToolName;
  title: string;
  description: string;
  /** The arguments (a strict object: unknown keys are refused with the known ones). */
  input: z.ZodObject;
  output: z.ZodType<O>;
  annotations: ToolHints;
  /** Whether `campaign_id` is one of its arguments (pinned and hidden by `--campaign`). */
  campaignArgument: boolean;
  run(args: I, ctx: ToolContext): Promise<ToolAnswer<O>>;
}

/** Declare a tool, its body typed by its input schema. */
export function defineTool<S extends z.ZodObject, O>(
  tool: Omit<ToolDef<z.infer<S>, O>, "input"> & { input: S },
): ToolDef<z.infer<S>, O> {
  return tool as unknown as ToolDef<z.infer<S>, O>;
}
