/**
 * Generates a migration from the difference between the entities and a scratch database
 * brought up to date with the committed migrations. Usage: npm run migration:create [-- --blank]
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { migrate, openOrm } from '../db/orm';
import { testPostgres } from '../test/support/postgres';

// The tests' server: 127.0.0.1:5432 when it answers, else an embedded one for this run.
const server = await testPostgres();
const admin = server.adminUrl;
const name = `roster_migration_${randomUUID().slice(0, 8)}`;
const client = new Client({ connectionString: admin });
await client.connect();
await client.query(`create database ${name}`);
const url = new URL(admin);
url.pathname = `/${name}`;
const orm = await openOrm({ kind: 'postgres', url: url.toString() });
try {
  await migrate(orm);
  const result = await orm.migrator.create(undefined, process.argv.includes('--blank'));
  console.log(result.fileName ? `created db/migrations/${result.fileName}` : 'no changes');
  console.log(result.diff.up.join('\n'));
} finally {
  await orm.close();
  await client.query(`drop database ${name}`);
  await client.end();
  await server.stop();
}
