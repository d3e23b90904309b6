import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    realtime: "src/realtime/index.ts",
    testing: "src/testing/index.ts",
    cli: "src/cli/index.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node22",
  splitting: true,
  treeshake: true,
});
