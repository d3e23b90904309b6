/**
 * `puffle-chat/openapi`: the raw OpenAPI types of the Puffle API, generated from `openapi.yaml` by
 * openapi-typescript. Types only: importing this entry adds no code to a bundle.
 *
 * The client's own types (`Session`, `CampaignDetail`, … from `puffle-chat`) are the ones to
 * read first; these are for code that works with the wire format itself, such as a mock server
 * or a request builder.
 *
 * @example
 * ```ts
 * import type { components, operations, paths } from "puffle-chat/openapi";
 * type SkeletonBlock = components["schemas"]["SkeletonBlock"];
 * type CreateSessionBody = operations["createSession"]["requestBody"];
 * type SessionPath = keyof paths;
 * ```
 *
 * @module
 */

export type { components, operations, paths } from "../../generated/openapi";
