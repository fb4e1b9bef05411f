import path from "node:path";
import { defineConfig } from "vitest/config";

const integration = (db: "pglite" | "postgres") => ({
  extends: true as const,
  test: {
    name: `int-${db}`,
    include: ["lib/**/*.int.test.ts", "scripts/**/*.int.test.ts"],
    globalSetup: ["lib/test/int-global.ts"],
    setupFiles: ["lib/test/int-setup.ts"],
    env: { ACP_TEST_DB: db },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Tests import server modules directly; `server-only` throws outside Next.js's react-server condition.
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    // Playwright's specs live in e2e/ and run under Playwright, not here.
    exclude: ["node_modules/**", "e2e/**", ".next/**"],
    // Two files at a time even on two cores (the default is one fewer than the cores): each integration file has a
    // database of its own, and much of their time is spent waiting on it. 414 s instead of ~490 s for the suite.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
        },
      },
      integration("pglite"),
      integration("postgres"),
    ],
  },
});
