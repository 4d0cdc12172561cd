/** `npm run start:api`: the API alone, against TEMPORAL_ADDRESS and DATABASE_URL (for scaling out). */
import { serve } from '@hono/node-server';
import { loadEnv } from '../config/env';
import { appDeps, connectTemporal, createLogger, createPayloadCodec, openDatabase } from '../config/services';
import { createApp } from './app';

const env = loadEnv();
const logger = createLogger(env);
if (!env.TEMPORAL_ADDRESS || !env.DATABASE_URL) {
  throw new Error(
    'start:api runs against shared servers: set TEMPORAL_ADDRESS and DATABASE_URL (or use npm start).',
  );
}
const payloadCodec = createPayloadCodec(env, logger, { embedded: false });
const orm = await openDatabase(env, logger);
const temporal = await connectTemporal(env.TEMPORAL_ADDRESS, env.TEMPORAL_NAMESPACE, payloadCodec);
const app = createApp(appDeps(env, { orm, temporal, logger, payloadCodec }));
const server = serve({ fetch: app.fetch, port: env.PORT }, (info) =>
  logger.info(`Roster API on :${info.port}`),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    server.close();
    await temporal.connection.close();
    await orm.close();
    process.exit(0);
  });
}
