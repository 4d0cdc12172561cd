import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'] },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Starts the real Temporal dev server and a fresh PostgreSQL database once per run.
          globalSetup: ['test/integration/global-setup.ts'],
          // As `npm start` runs the service: reading or writing `__proto__` throws.
          execArgv: ['--disable-proto=throw'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // A real Temporal server on PostgreSQL (deploy/temporal), two API and two worker processes.
        test: { name: 'cluster', include: ['test/cluster/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        // Its own PostgreSQL cluster and Temporal dev server, which it restarts (test/chaos/servers.ts).
        test: { name: 'chaos', include: ['test/chaos/**/*.test.ts'], testTimeout: 1_800_000 },
      },
    ],
  },
});
