/**
 * deploy/ stays what CI tests: the image builds the Temporal server, SQL tool and CLI versions that
 * `npm run setup` installs for test/cluster, and compose's cluster set-up registers Roster's
 * search attributes as the code defines them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_VERSION } from '../../scripts/temporal-cli';
import { SERVER_VERSION } from '../../scripts/temporal-server';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/search-attributes';

const deploy = path.resolve(import.meta.dirname, '../../deploy');
const read = (file: string) => readFileSync(path.join(deploy, file), 'utf8');

describe('deploy/', () => {
  it('builds the Temporal versions that npm run setup installs and test/cluster runs', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toContain(`ARG TEMPORAL_VERSION=${SERVER_VERSION}\n`);
    expect(dockerfile).toContain(`ARG TEMPORAL_CLI_VERSION=${CLI_VERSION}\n`);
    expect(read('compose.yaml')).toContain(`image: roster-temporal:${SERVER_VERSION.slice(1)}\n`);
  });

  it('registers exactly the search attributes Roster defines, in compose and in its README', () => {
    const expected = SEARCH_ATTRIBUTE_KEYS.map((key) => `${key.name}=Keyword`).sort();
    expect(SEARCH_ATTRIBUTE_KEYS.every((key) => key.type === 'KEYWORD')).toBe(true);
    const compose = /TEMPORAL_SEARCH_ATTRIBUTES: >-\n\s+(.+)\n/.exec(read('compose.yaml'))?.[1];
    expect(compose?.trim().split(/\s+/).sort()).toEqual(expected);
    const readme = /TEMPORAL_SEARCH_ATTRIBUTES="([^"]+)"/.exec(read('README.md'))?.[1];
    expect(readme?.split(/\s+/).sort()).toEqual(expected);
  });
});
