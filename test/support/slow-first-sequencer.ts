import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files known to take minutes. They start first, so the other files run beside them instead of
 * the run ending on them alone (a fresh clone has no timings cached, and vitest would otherwise
 * start the largest files first).
 */
export const SLOW_FILES = ['test/integration/bulk-actions-10k.test.ts'];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const slow = (spec: TestSpecification) => SLOW_FILES.some((file) => spec.moduleId.endsWith(`/${file}`));
    return [...sorted.filter(slow), ...sorted.filter((spec) => !slow(spec))];
  }
}
