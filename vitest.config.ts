import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests start their own servers on free loopback ports; keep the 2-core CI machine responsive.
    maxWorkers: 2,
  },
});
