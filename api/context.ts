import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Orm } from '../db/orm';

/** What the HTTP layer needs; built by the composition root, never imported as singletons. */
export interface AppDeps {
  orm: Orm;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  /** Answers whether Temporal is reachable, for /ready. */
  temporalReady: () => Promise<boolean>;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    organizationId: string;
    /** Who is acting, for history rows: `api_key:<id>`. */
    actor: string;
  };
};
