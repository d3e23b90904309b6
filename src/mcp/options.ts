/**
 * The options of the MCP server and of its HTTP route, their defaults and their one check.
 *
 * @module
 */
import { PuffleError } from "../base/puffle-error";
import { redactText } from "../base/redact";
import type { PuffleClient } from "../client";

/**
 * The names of the tools, in the order `tools/list` shows them.
 *
 * @example
 * ```ts
 * const readTools = PUFFLE_MCP_TOOLS.filter((name) => name.startsWith("puffle_get_"));
 * ```
 */
export const PUFFLE_MCP_TOOLS = [
  "puffle_get_campaign",
  "puffle_start_session",
  "puffle_send_turn",
  "puffle_wait_for_idle",
  "puffle_get_draft",
  "puffle_generate_examples",
  "puffle_finish_session",
  "puffle_draft_campaign",
] as const;

/**
 * A tool's name.
 *
 * @example
 * ```ts
 * const tool: PuffleMcpToolName = "puffle_send_turn";
 * ```
 */
export type PuffleMcpToolName = (typeof PUFFLE_MCP_TOOLS)[number];

/**
 * Default of {@link PuffleMcpOptions.maxWaitMs}: how long a tool waits for Puffle before it
 * answers `running` (MCP clients give up on a request at 60 s).
 *
 * @example
 * ```ts
 * createMcpServerFactory({ client, maxWaitMs: DEFAULT_MCP_MAX_WAIT_MS / 3 });
 * ```
 */
export const DEFAULT_MCP_MAX_WAIT_MS = 45_000;

/**
 * Options of {@link createMcpServerFactory} (and of `puffle-chat mcp`, flag by flag).
 *
 * @example
 * ```ts
 * const options: PuffleMcpOptions = { client: new PuffleClient(), readOnly: true, campaignId };
 * ```
 */
export interface PuffleMcpOptions {
  /** The client that holds the API key (it never reaches a tool result). */
  client: PuffleClient;
  /**
   * List only the tools that write nothing (`puffle_get_campaign`, `puffle_wait_for_idle`,
   * `puffle_get_draft`): the write tools are not registered at all, whatever `tools` says.
   * Default `false`.
   */
  readOnly?: boolean | undefined;
  /**
   * Pin one campaign: `campaign_id` leaves the tools' input schemas (it is filled in), and a
   * campaign or session of any other campaign is refused before anything is sent.
   */
  campaignId?: string | undefined;
  /** Only these tools (after `readOnly`). Default: all of them. */
  tools?: readonly PuffleMcpToolName[] | undefined;
  /**
   * The longest a tool waits for a turn or an example run before answering `running` (the agent
   * then calls `puffle_wait_for_idle`), in ms: 1 to 55 000. Default {@link DEFAULT_MCP_MAX_WAIT_MS}.
   */
  maxWaitMs?: number | undefined;
  /**
   * While a tool waits, the interval of its progress notifications (only when the client asked
   * for them with a progress token), in ms: 100 to 30 000. Default 15 000.
   */
  progressIntervalMs?: number | undefined;
  /** The variables the campaign's leads have: sent with every turn and used by the lint. */
  availableVarNames?: readonly string[] | undefined;
  /**
   * Told about every error a tool did not expect (answered to the model as `internal_error`).
   * Default: one redacted `console.error` line (stderr, so stdio's protocol stays clean).
   */
  onError?: ((error: unknown, context: { tool: string }) => void) | undefined;
}

/** The options after the check, with defaults applied. */
export interface McpSettings {
  client: PuffleClient;
  tools: readonly PuffleMcpToolName[];
  campaignId: string | undefined;
  maxWaitMs: number;
  progressIntervalMs: number;
  availableVarNames: readonly string[] | undefined;
  onError: (error: unknown, context: { tool: string }) => void;
}

/** The tools that write (or pay): left out by `readOnly`. */
export const WRITE_TOOLS: ReadonlySet<PuffleMcpToolName> = new Set([
  "puffle_start_session",
  "puffle_send_turn",
  "puffle_generate_examples",
  "puffle_finish_session",
  "puffle_draft_campaign",
]);

const KNOWN = new Set([
  "client",
  "readOnly",
  "campaignId",
  "tools",
  "maxWaitMs",
  "progressIntervalMs",
  "availableVarNames",
  "onError",
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Check the options of `where`, every problem in one error; `extra` are the caller's own keys. */
export function checkMcpOptions(
  where: string,
  options: PuffleMcpOptions,
  extra: readonly string[] = [],
): McpSettings {
  if (typeof options !== "object" || options === null)
    throw new PuffleError(`${where}: pass an options object with { client }.`);
  const problems: string[] = [];
  for (const key of Object.keys(options))
    if (!KNOWN.has(key) && !extra.includes(key)) problems.push(`${key} is not an option`);
  const { client } = options;
  if (typeof (client as { runTurn?: unknown } | null)?.runTurn !== "function")
    problems.push("client must be a PuffleClient (it holds the API key)");
  if (options.campaignId !== undefined && !UUID.test(String(options.campaignId)))
    problems.push(`campaignId must be a campaign UUID (got ${String(options.campaignId)})`);
  for (const name of options.tools ?? [])
    if (!(PUFFLE_MCP_TOOLS as readonly string[]).includes(name))
      problems.push(`tools: ${String(name)} is not a tool (${PUFFLE_MCP_TOOLS.join(", ")})`);
  const maxWaitMs = range(
    problems,
    "maxWaitMs",
    options.maxWaitMs,
    1,
    55_000,
    DEFAULT_MCP_MAX_WAIT_MS,
  );
  const progressIntervalMs = range(
    problems,
    "progressIntervalMs",
    options.progressIntervalMs,
    100,
    30_000,
    15_000,
  );
  const names = options.availableVarNames;
  if (names !== undefined && (!Array.isArray(names) || names.some((n) => typeof n !== "string")))
    problems.push("availableVarNames must be a list of strings");
  if (options.onError !== undefined && typeof options.onError !== "function")
    problems.push("onError must be a function");
  if (problems.length > 0) throw new PuffleError(`${where}: ${problems.join("; ")}.`);
  const chosen = options.tools ?? PUFFLE_MCP_TOOLS;
  return {
    client,
    tools: PUFFLE_MCP_TOOLS.filter(
      (name) => chosen.includes(name) && !(options.readOnly === true && WRITE_TOOLS.has(name)),
    ),
    campaignId: options.campaignId?.toLowerCase(),
    maxWaitMs,
    progressIntervalMs,
    availableVarNames: names,
    onError: options.onError ?? defaultOnError,
  };
}

function range(
  problems: string[],
  key: string,
  value: number | undefined,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    problems.push(`${key} must be a number of ms from ${min} to ${max} (got ${String(value)})`);
    return fallback;
  }
  return value;
}

function defaultOnError(error: unknown, context: { tool: string }): void {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // One line, redacted: a foreign error's message may quote anything.
  console.error(
    `puffle-chat mcp: ${context.tool} failed: ${redactText(text.split("\n")[0] ?? "")}`,
  );
}
