/**
 * What a bench run must have produced: every section's reports, every figure in them a number
 * or a value (no null, undefined or NaN), and every import completed with everyone invited and
 * emailed. `npm run bench -- --quick` (CI) fails on any of these; it does not judge speed.
 */

/** The reports (by the start of their `bench` name, or of "bench / case") each section prints. */
export const SECTION_REPORTS: Record<string, string[]> = {
  check: ['check-your-file'],
  import: ['bulk invite with email', 'cost'],
  'bulk-action': ['bulk action'],
  'import-scale': ['import scale'],
  list: ['seed', 'list'],
  console: [
    'console / first page',
    'console / filter status+role',
    'console / search q',
    'console / sort name',
    'console / deep cursor',
  ],
  'list-scale': ['list scale'],
  invite: ['single invite'],
  scale: ['scale-out'],
};

type Report = Record<string, unknown>;

/** Each problem as a sentence; an empty list when the run produced everything. */
export function figureProblems(results: readonly Report[], sections: Iterable<string>): string[] {
  const problems: string[] = [];
  const names = results.map((r) => [r.bench, r.case].filter(Boolean).join(' / '));
  for (const section of sections) {
    for (const expected of SECTION_REPORTS[section] ?? []) {
      if (!names.some((name) => name.startsWith(expected)))
        problems.push(`${section}: no "${expected}" report`);
    }
  }
  for (const always of ['machine', 'rss'])
    if (!names.includes(always)) problems.push(`no "${always}" report`);
  for (const r of results) {
    const where = [r.bench, r.case].filter(Boolean).join(' / ');
    // A console page that failed (a sign-in redirect, an error page, rows missing) is no figure.
    if (r.bench === 'console' && r.errors !== 0) problems.push(`${where}: errors is ${r.errors}, not 0`);
    walk(r, '', (path, problem) => problems.push(`${where}: ${path || '(report)'} ${problem}`));
  }
  return problems;
}

function walk(value: unknown, path: string, fail: (path: string, problem: string) => void) {
  if (value === null || value === undefined) {
    fail(path, 'is missing');
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path, `is ${value}`);
    return;
  }
  if (typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) walk(v, `${path}[${i}]`, fail);
    return;
  }
  const o = value as Report;
  // An import: completed, everyone invited and every invitation accepted by the stand-in.
  if (typeof o.status === 'string' && o.status !== 'completed') fail(path, `import ended ${o.status}`);
  const wanted = typeof o.valid === 'number' ? o.valid : typeof o.status === 'string' ? o.rows : undefined;
  for (const key of ['attendees', 'emailsAccepted']) {
    if (typeof wanted === 'number' && typeof o[key] === 'number' && o[key] !== wanted)
      fail(`${path}${path ? '.' : ''}${key}`, `is ${o[key]}, not ${wanted}`);
  }
  for (const [key, v] of Object.entries(o)) walk(v, path ? `${path}.${key}` : key, fail);
}
