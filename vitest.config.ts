import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests start their own servers on free loopback ports; keep the 2-core CI machine responsive.
    maxWorkers: 2,
    // A share dir per run: the packed tarball is built once and used by every package test.
    globalSetup: ["test/support/global-setup.ts"],
  },
});
