import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    realtime: "src/realtime/index.ts",
    testing: "src/testing/index.ts",
    server: "src/server/index.ts",
    mcp: "src/mcp/index.ts",
    campaign: "src/campaign/index.ts",
    react: "src/react/index.ts",
    template: "src/template/index.ts",
    openapi: "src/openapi/index.ts",
    types: "src/types/index.ts",
    otel: "src/otel/index.ts",
    "pg-boss": "src/pg-boss/index.ts",
    trigger: "src/trigger/index.ts",
    cli: "src/cli/index.ts",
  },
  format: ["esm", "cjs"],
  // Declarations for the library entries only (the bin has no importable API).
  dts: {
    entry: {
      index: "src/index.ts",
      realtime: "src/realtime/index.ts",
      testing: "src/testing/index.ts",
      server: "src/server/index.ts",
      mcp: "src/mcp/index.ts",
      campaign: "src/campaign/index.ts",
      react: "src/react/index.ts",
      template: "src/template/index.ts",
      openapi: "src/openapi/index.ts",
      types: "src/types/index.ts",
      otel: "src/otel/index.ts",
      "pg-boss": "src/pg-boss/index.ts",
      trigger: "src/trigger/index.ts",
    },
  },
  // No source maps: the package ships without them, so no dangling sourceMappingURL comments.
  sourcemap: false,
  clean: true,
  target: "node22",
  splitting: true,
  treeshake: true,
});
