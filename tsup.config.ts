import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    realtime: "src/realtime/index.ts",
    testing: "src/testing/index.ts",
    cli: "src/cli/index.ts",
  },
  format: ["esm", "cjs"],
  // Declarations for the three library entries only (the bin has no importable API).
  dts: {
    entry: {
      index: "src/index.ts",
      realtime: "src/realtime/index.ts",
      testing: "src/testing/index.ts",
    },
  },
  // No source maps: the package ships without them, so no dangling sourceMappingURL comments.
  sourcemap: false,
  clean: true,
  target: "node22",
  splitting: true,
  treeshake: true,
});
