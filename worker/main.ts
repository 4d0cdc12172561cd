/** `npm run start:worker`: one worker process against TEMPORAL_ADDRESS and DATABASE_URL; run as many as needed. */
import { loadEnv } from '../config/env';
import { createEmailTransport, createLogger, createPayloadCodec, openDatabase } from '../config/services';
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
const { worker, connection, clientConnection } = await createWorker({
  temporalAddress: env.TEMPORAL_ADDRESS,
  namespace: env.TEMPORAL_NAMESPACE,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
  payloadCodec,
  activityDeps: {
    orm,
    email: createEmailTransport(env, logger),
    emailFrom: env.EMAIL_FROM,
    eventSiteUrl: env.EVENT_SITE_URL,
  },
});
// The SDK's worker stops on SIGINT/SIGTERM by itself, finishing the tasks it holds.
await worker.run();
await connection.close();
await clientConnection.close();
await orm.close();
