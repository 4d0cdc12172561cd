/**
 * `npm run setup`: installs what the project builds with Go, each only when missing, into .tools:
 * the Temporal CLI (its dev server runs `npm start` and the tests) and the Temporal server with its
 * SQL schema tool (the cluster tests in test/cluster, and deploy/).
 */
import { ensureTemporalCli } from './temporal-cli';
import { ensureTemporalServer } from './temporal-server';

console.log(ensureTemporalCli());
const server = ensureTemporalServer();
console.log(server.server);
console.log(server.sqlTool);
console.log(server.schemaDir);
