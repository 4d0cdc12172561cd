import { describe, expect, it } from 'vitest';
import { importProgressLine, progressBar } from '../../cli/output';

const progress = (p: Partial<Parameters<typeof importProgressLine>[0]>) => ({
  processed: 0,
  invited: 0,
  emailed: 0,
  failed: 0,
  skipped: 0,
  ...p,
});

describe('the CLI import progress', () => {
  it('draws a bar with its share and counts', () => {
    expect(progressBar(5_000, 10_000, 10)).toBe('[#####.....]  50%  5,000 / 10,000');
    expect(progressBar(0, 0, 4)).toBe('[####] 100%  0 / 0');
  });

  it('follows the invitations first, skipped rows included', () => {
    expect(importProgressLine(progress({ invited: 400, emailed: 400, skipped: 100 }), 1_000)).toBe(
      'inviting   [###############...............]  50%  500 / 1,000  invited 400  emailed 400  failed 0',
    );
  });

  it('then the setting up of the invitees, once every invitation is out', () => {
    const out = progress({ invited: 990, emailed: 985, failed: 5, skipped: 10 });
    expect(importProgressLine({ ...out, processed: 0 }, 1_000)).toMatch(
      /^setting up \[\.+\] {3}0% {2}0 \/ 1,000 /,
    );
    expect(importProgressLine({ ...out, processed: 1_000 }, 1_000)).toBe(
      'setting up [##############################] 100%  1,000 / 1,000  invited 990  emailed 985  failed 5',
    );
  });

  it('shows the setting up as soon as it has begun (a cancelled import stops short of every invitation)', () => {
    expect(importProgressLine(progress({ invited: 500, processed: 500 }), 1_000)).toMatch(
      /^setting up .* 50%/,
    );
  });
});
