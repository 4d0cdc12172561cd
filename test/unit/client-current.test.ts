import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clientFiles } from '../../scripts/client-files';

describe('typed client', () => {
  it('is generated from the OpenAPI document the routes serve now (npm run client:generate)', async () => {
    const files = await clientFiles();
    expect(Object.keys(files)).toHaveLength(2);
    for (const [path, content] of Object.entries(files)) {
      const committed = readFileSync(path, 'utf8');
      expect(committed === content, `${path} is out of date: run npm run client:generate`).toBe(true);
    }
  });
});
