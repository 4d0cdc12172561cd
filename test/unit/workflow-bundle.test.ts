import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prebuiltWorkflowBundle } from '../../worker/workflow-bundle';

const dir = path.join(os.tmpdir(), `roster-bundle-test-${randomUUID()}`);
const workflowsPath = path.join(dir, 'workflows.ts');
const cacheDir = path.join(dir, 'cache');
mkdirSync(dir, { recursive: true });
// The bundler's entry point imports @temporalio/workflow from next to the workflows.
symlinkSync(path.resolve(import.meta.dirname, '../../node_modules'), path.join(dir, 'node_modules'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (file: string, text: string) => writeFileSync(path.join(dir, file), text);

describe('prebuiltWorkflowBundle', () => {
  it('bundles once, serves the cache while the sources are unchanged and bundles again when one changes', async () => {
    write(
      'workflows.ts',
      "import { greeting } from './greeting';\nexport async function hello() { return greeting; }\n",
    );
    write('greeting.ts', "export const greeting = 'first version';\n");
    const first = await prebuiltWorkflowBundle({ workflowsPath, cacheDir });
    expect(readFileSync(first.codePath, 'utf8').includes('first version')).toBe(true);

    const again = await prebuiltWorkflowBundle({ workflowsPath, cacheDir });
    expect(again.codePath).toBe(first.codePath);

    // A change in an imported file, not the entry point.
    write('greeting.ts', "export const greeting = 'second version';\n");
    const changed = await prebuiltWorkflowBundle({ workflowsPath, cacheDir });
    expect(changed.codePath).not.toBe(first.codePath);
    expect(readFileSync(changed.codePath, 'utf8').includes('second version')).toBe(true);

    // A new file that takes over an import: './greeting' was greeting/index.ts, then greeting.ts
    // appears, which webpack looked for and did not find the first time.
    rmSync(path.join(dir, 'greeting.ts'));
    mkdirSync(path.join(dir, 'greeting'));
    write('greeting/index.ts', "export const greeting = 'from the folder';\n");
    const folder = await prebuiltWorkflowBundle({ workflowsPath, cacheDir });
    expect(readFileSync(folder.codePath, 'utf8').includes('from the folder')).toBe(true);
    write('greeting.ts', "export const greeting = 'from the new file';\n");
    const added = await prebuiltWorkflowBundle({ workflowsPath, cacheDir });
    expect(readFileSync(added.codePath, 'utf8').includes('from the new file')).toBe(true);
  }, 60_000);
});
