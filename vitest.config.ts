import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/support/slow-first-sequencer.ts';

// Two files at a time: most integration files wait on Temporal, timers and HTTP for much of
// their time, so a second file uses what the first leaves idle (README, Tests). vitest's default
// on two cores is one.
const FILES_AT_ONCE = 2;

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          maxWorkers: FILES_AT_ONCE,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          maxWorkers: FILES_AT_ONCE,
          // Starts the real Temporal dev server and a fresh PostgreSQL database once per run.
          globalSetup: ['test/integration/global-setup.ts'],
          // As `npm start` runs the service: reading or writing `__proto__` throws.
          execArgv: ['--disable-proto=throw'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      // After the files above, the two at once: each runs servers of its own and kills processes.
      {
        // A real Temporal server on PostgreSQL (deploy/temporal), two API and two worker processes.
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          testTimeout: 60_000,
          maxWorkers: FILES_AT_ONCE,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // Its own PostgreSQL cluster and Temporal dev server, which it restarts (test/chaos/servers.ts).
        test: {
          name: 'chaos',
          include: ['test/chaos/**/*.test.ts'],
          testTimeout: 1_800_000,
          maxWorkers: FILES_AT_ONCE,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
