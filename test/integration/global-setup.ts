import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { devServerSearchAttributeArgs } from '../../config/search-attributes';
import { migrate, openOrm } from '../../db/orm';
import { ensureTemporalCli } from '../../scripts/temporal-cli';
import { prebuiltWorkflowBundle } from '../../worker/workflow-bundle';
import { testPostgres } from '../support/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseUrl: string;
    workflowBundleCode: string;
  }
}

export default async function setup(project: TestProject) {
  // The PostgreSQL server tests use (an embedded one when none answers on 5432); each run
  // creates its own database there and drops it after.
  const postgres = await testPostgres();
  if (postgres.kind === 'embedded') console.info(`PostgreSQL: embedded, ${new URL(postgres.adminUrl).host}`);
  const adminUrl = postgres.adminUrl;
  const [env, bundle, databaseUrl] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: temporalExecutable(),
        log: { format: 'pretty', level: 'error' },
        extraArgs: devServerSearchAttributeArgs(),
      },
    }),
    // The bundle the workers use (built now if out of date), so process tests find it cached.
    prebuiltWorkflowBundle(),
    createDatabase(adminUrl),
  ]).catch(async (error) => {
    await postgres.stop();
    throw error;
  });
  project.provide('temporalAddress', env.address);
  project.provide('databaseUrl', databaseUrl);
  project.provide('workflowBundleCode', readFileSync(bundle.codePath, 'utf8'));

  return async () => {
    await env.teardown();
    await dropDatabase(adminUrl, databaseUrl);
    await postgres.stop();
  };
}

/** The installed CLI; only where it cannot be had (no Go), the SDK's download, which needs internet. */
function temporalExecutable() {
  try {
    return { type: 'existing-path' as const, path: ensureTemporalCli() };
  } catch (error) {
    console.warn(`${(error as Error).message}\nFalling back to @temporalio/testing's download of the CLI.`);
    return { type: 'cached-download' as const };
  }
}

async function createDatabase(adminUrl: string): Promise<string> {
  const name = `roster_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const orm = await openOrm({ kind: 'postgres', url: url.toString() });
  await migrate(orm);
  await orm.close();
  return url.toString();
}

async function dropDatabase(adminUrl: string, databaseUrl: string) {
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
