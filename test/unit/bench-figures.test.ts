import { describe, expect, it } from 'vitest';
import { figureProblems } from '../../bench/figures';

const complete = [
  { bench: 'machine', cpuMs: 60, postgresMs: 180 },
  { bench: 'check-your-file', rows: 1000, seconds: 0.1, ratio: 1.2 },
  {
    bench: 'bulk invite with email',
    status: 'completed',
    rows: 300,
    valid: 300,
    attendees: 300,
    emailsAccepted: 300,
    emailsOutSeconds: 2.1,
  },
  { bench: 'cost', cpuMsPerAttendee: { api: 1.2, worker: 3 }, attendeeWorkflow: { events: 11 } },
  { bench: 'rss', apiPeakMb: 200, workerTimeline: [[1, 100]] },
];

describe('bench figures (--quick)', () => {
  it('accepts a run that produced every figure', () => {
    expect(figureProblems(complete, ['check', 'import'])).toEqual([]);
  });

  it('names the machine report when a run lacks it', () => {
    expect(figureProblems(complete.slice(1), ['check', 'import'])).toEqual(['no "machine" report']);
  });

  it('names a section whose report is missing', () => {
    expect(figureProblems(complete, ['check', 'import', 'invite'])).toEqual([
      'invite: no "single invite" report',
    ]);
  });

  it('names figures that are null, undefined or NaN, however deep', () => {
    const broken = [
      ...complete.slice(0, 3),
      { bench: 'cost', cpuMsPerAttendee: { api: null, worker: Number.NaN }, attendeeWorkflow: {} },
      { bench: 'rss', apiPeakMb: 200, workerTimeline: [[1, undefined]] },
    ];
    expect(figureProblems(broken, ['check', 'import'])).toEqual([
      'cost: cpuMsPerAttendee.api is missing',
      'cost: cpuMsPerAttendee.worker is NaN',
      'rss: workerTimeline[0][1] is missing',
    ]);
  });

  const consoleCase = (name: string, errors = 0) => ({
    bench: 'console',
    case: name,
    rows: 5000,
    page: { n: 50, p50: 9.1, p99: 20.3 },
    jsonApi: { n: 50, p50: 3.2, p99: 8.8 },
    ratioP50: 2.84,
    ratioP99: 2.31,
    errors,
  });
  const consoleRun: Record<string, unknown>[] = [
    ...complete,
    consoleCase('first page'),
    consoleCase('filter status+role'),
    consoleCase('search q'),
    consoleCase('sort name'),
    consoleCase('deep cursor (4,550 in)'),
  ];

  it('wants every case of the console section, each by its case name', () => {
    expect(figureProblems(consoleRun, ['check', 'import', 'console'])).toEqual([]);
    expect(
      figureProblems(
        consoleRun.filter((r) => r.case !== 'sort name'),
        ['console'],
      ),
    ).toEqual(['console: no "console / sort name" report']);
  });

  it('fails a console case whose figures are missing or whose pages failed', () => {
    const broken = consoleRun.map((r) =>
      r.case === 'search q'
        ? { ...r, ratioP99: Number.NaN }
        : r.case === 'first page'
          ? consoleCase('first page', 3)
          : r,
    );
    expect(figureProblems(broken, ['console'])).toEqual([
      'console / first page: errors is 3, not 0',
      'console / search q: ratioP99 is NaN',
    ]);
  });

  it('fails an import that did not complete or left people out', () => {
    const runs = [
      { bench: 'import scale 200 → 400', runs: [{ rows: 200, status: 'failed', attendees: 200 }] },
      {
        bench: 'bulk invite with email',
        status: 'completed',
        valid: 300,
        attendees: 300,
        emailsAccepted: 299,
      },
    ];
    expect(figureProblems(runs, [])).toEqual([
      'no "machine" report',
      'no "rss" report',
      'import scale 200 → 400: runs[0] import ended failed',
      'bulk invite with email: emailsAccepted is 299, not 300',
    ]);
  });
});
