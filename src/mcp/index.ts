/**
 * `puffle-chat/mcp`: the MCP server of puffle-chat, for AI agents (Claude Desktop, Cursor, any
 * MCP client): task-level tools with the SDK's promises (a paid turn at most once, typed
 * refusals, the draft linted before it is finished, no secret in any output). Built on
 * `@modelcontextprotocol/server` (an optional peer, `>=2.4.0 <3`). `puffle-chat mcp` serves it
 * over stdio; {@link createMcpRoute} over Streamable HTTP.
 *
 * @module
 */
export {
  DEFAULT_MCP_MAX_WAIT_MS,
  PUFFLE_MCP_TOOLS,
  type PuffleMcpOptions,
  type PuffleMcpToolName,
} from "./options";
export {
  createMcpRoute,
  type McpAuthorizeContext,
  type McpAuthorizeResult,
  type McpRoute,
  type McpRouteOptions,
} from "./route";
export { createMcpServerFactory } from "./server";
