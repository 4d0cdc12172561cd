/** `npm run start:worker`: one worker process against TEMPORAL_ADDRESS and DATABASE_URL; run as many as needed. */
import { loadEnv } from '../config/env';
import { createLogger, createPayloadCodec, openDatabase, workerConfig } from '../config/services';
import { createWorker } from './worker';

const env = loadEnv();
const logger = createLogger(env);
if (!env.TEMPORAL_ADDRESS || !env.DATABASE_URL) {
  throw new Error(
    'start:worker runs against shared servers: set TEMPORAL_ADDRESS and DATABASE_URL (or use npm start).',
  );
}
const payloadCodec = createPayloadCodec(env, logger, { embedded: false });
const orm = await openDatabase(env, logger);
const { worker, connection, clientConnection } = await createWorker(
  workerConfig(env, logger, { temporalAddress: env.TEMPORAL_ADDRESS, orm, payloadCodec }),
);
// The SDK's worker stops on SIGINT/SIGTERM by itself, finishing the tasks it holds.
await worker.run();
await connection.close();
await clientConnection.close();
await orm.close();
