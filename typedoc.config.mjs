// typedoc configuration (npm run docs). Warnings are errors: npm test fails on any.
import { fileURLToPath } from "node:url";
import { OptionDefaults } from "typedoc";
import { guideFiles } from "./scripts/guides.mjs";

const ROOT = fileURLToPath(new URL(".", import.meta.url));

/** @type {Partial<import("typedoc").TypeDocOptions>} */
const config = {
  entryPoints: [
    "src/index.ts",
    "src/realtime/index.ts",
    "src/testing/index.ts",
    "src/server/index.ts",
    "src/mcp/index.ts",
    "src/campaign/index.ts",
    "src/otel/index.ts",
    "src/pg-boss/index.ts",
    "src/trigger/index.ts",
    "src/react/index.ts",
    "src/template/index.ts",
    "src/openapi/index.ts",
    "src/types/index.ts",
  ],
  out: "docs/reference",
  name: "puffle-chat",
  // A landing page of its own (short; the README is the package's front page, not the site's).
  readme: "docs/reference-home.md",
  // The task guides as project documents, beside the reference: the README's Guides list, in its
  // order (scripts/guides.mjs), so a new guide is one README line.
  projectDocuments: guideFiles(ROOT),
  // Module names by import path, sidebar groups by topic (generated/ types: OpenAPI).
  plugin: ["./scripts/typedoc-plugin.mjs"],
  groupOrder: [
    "Guides",
    "Client",
    // PuffleClient's page: its task groups (scripts/typedoc-plugin.mjs CLIENT_TASKS), in order
    // ("Campaigns" is shared with the modules' groups, which have none of the others).
    "Constructors",
    "Sessions and turns",
    "Examples",
    "Sessions and runs",
    "Waiting",
    "Errors",
    "Drafts",
    "Campaigns",
    "Campaign driver",
    "Finishing",
    "Low level",
    "Realtime",
    "Testing",
    "Server",
    "MCP",
    "React",
    "OpenAPI",
    "*",
  ],
  sort: ["documents-first", "kind", "instance-first", "alphabetical-ignoring-documents"],
  navigation: { includeGroups: true, includeCategories: false, includeFolders: false },
  excludeInternal: true,
  excludePrivate: true,
  validation: {
    notExported: true,
    invalidLink: true,
    notDocumented: false,
  },
  treatWarningsAsErrors: true,
  logLevel: "Warn",
  tsconfig: "tsconfig.build.json",
  disableSources: true,
};
// generated/openapi.ts (openapi-typescript output) documents fields with @description.
config.blockTags = [...OptionDefaults.blockTags, "@description"];

export default config;
