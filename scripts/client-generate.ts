/**
 * Writes the typed client's inputs from the served OpenAPI document: `client/openapi.json` (the
 * document as `GET /openapi.json` serves it) and `client/schema.d.ts` (openapi-typescript's types).
 * `--check` writes nothing and fails when either is out of date.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { clientFiles } from './client-files';

const check = process.argv.includes('--check');
const files = await clientFiles();
let stale = 0;
for (const [path, content] of Object.entries(files)) {
  const current = await readFile(path, 'utf8').catch(() => '');
  if (current === content) continue;
  if (check) {
    console.error(`${path} is out of date: run npm run client:generate`);
    stale += 1;
  } else {
    await writeFile(path, content);
    console.log(`wrote ${path}`);
  }
}
if (check && stale === 0) console.log('client/ is current');
process.exit(stale > 0 ? 1 : 0);
