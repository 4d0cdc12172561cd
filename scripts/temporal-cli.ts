/**
 * Finds the Temporal CLI (which carries the dev server): on PATH, else in .tools/bin, else
 * installs it there with Go. Imported by start and tests; `npm run setup` (scripts/setup.ts)
 * installs it together with the Temporal server (scripts/temporal-server.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const CLI_VERSION = 'v1.5.1';
const root = path.resolve(import.meta.dirname, '..');
export const toolsBin = path.join(root, '.tools', 'bin');

function onPath(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const located = found.stdout.trim();
  return found.status === 0 && located ? located : undefined;
}

export function findTemporalCli(): string | undefined {
  const local = path.join(toolsBin, 'temporal');
  if (existsSync(local)) return local;
  return onPath('temporal');
}

export function ensureTemporalCli(log: (line: string) => void = console.error): string {
  const found = findTemporalCli();
  if (found) return found;
  const go = onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) {
    throw new Error(
      [
        'The Temporal CLI (its dev server) is needed and was not found.',
        'Either put `temporal` on PATH (https://docs.temporal.io/cli#install),',
        `or install Go (https://go.dev/dl) and run \`npm run setup\`, which runs`,
        `  GOBIN=${toolsBin} go install github.com/temporalio/cli/cmd/temporal@${CLI_VERSION}`,
        'or point TEMPORAL_ADDRESS at a running Temporal server.',
      ].join('\n'),
    );
  }
  log(`Installing the Temporal CLI ${CLI_VERSION} into ${toolsBin} with Go (a few minutes, once)...`);
  // Later tags carry a `replace` directive in go.mod and cannot be `go install`ed.
  execFileSync(go, ['install', `github.com/temporalio/cli/cmd/temporal@${CLI_VERSION}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOBIN: toolsBin },
  });
  const installed = path.join(toolsBin, 'temporal');
  if (!existsSync(installed)) throw new Error(`go install finished but ${installed} is missing`);
  return installed;
}

if (import.meta.main) {
  console.log(ensureTemporalCli());
}
