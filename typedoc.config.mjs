// typedoc configuration (npm run docs). Warnings are errors: npm test fails on any.
import { OptionDefaults } from "typedoc";

/** @type {Partial<import("typedoc").TypeDocOptions>} */
const config = {
  entryPoints: [
    "src/index.ts",
    "src/realtime/index.ts",
    "src/testing/index.ts",
    "src/server/index.ts",
    "src/react/index.ts",
  ],
  out: "docs/reference",
  name: "puffle-chat",
  readme: "README.md",
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
