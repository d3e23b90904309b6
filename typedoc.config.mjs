// typedoc configuration (npm run docs). Warnings are errors: npm test fails on any.
import { OptionDefaults } from "typedoc";

/** @type {Partial<import("typedoc").TypeDocOptions>} */
const config = {
  entryPoints: [
    "src/index.ts",
    "src/realtime/index.ts",
    "src/testing/index.ts",
    "src/server/index.ts",
    "src/pg-boss/index.ts",
    "src/trigger/index.ts",
    "src/react/index.ts",
    "src/template/index.ts",
    "src/openapi/index.ts",
    "src/types/index.ts",
  ],
  out: "docs/reference",
  name: "puffle-chat",
  readme: "README.md",
  // The task guides (docs/guides/*.md) as project documents, beside the reference.
  projectDocuments: [
    "docs/guides/first-draft.md",
    "docs/guides/waiting-and-realtime.md",
    "docs/guides/errors-and-retries.md",
    "docs/guides/browser-apps.md",
    "docs/guides/testing.md",
    "docs/guides/finishing-a-draft.md",
  ],
  // Module names by import path, sidebar groups by topic (generated/ types: OpenAPI).
  plugin: ["./scripts/typedoc-plugin.mjs"],
  groupOrder: [
    "Guides",
    "Client",
    "Sessions and runs",
    "Waiting",
    "Errors",
    "Drafts",
    "Campaigns",
    "Realtime",
    "Testing",
    "Server",
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
