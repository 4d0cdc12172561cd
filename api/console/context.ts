import type { Context } from 'hono';
import type { RosterClient } from '../../client';
import type { ConsoleSession } from '../../db/writes/console-sessions';
import type { AppEnv } from '../context';

/** What every signed-in console request carries. */
export interface ConsoleRequest {
  session: ConsoleSession;
  /** The HTTP API, called in process as the signed-in key: same rules, workflows and audit log. */
  api: RosterClient;
  /** The same, untyped: for streams and files (`raw('/v1/events/…/errors.csv')`), answered as is. */
  raw: (path: string, init?: RequestInit) => Promise<Response>;
  /** This session's CSRF token, which every form and script repeats. */
  csrf: string;
  /** A one-time notice from the previous page (after a redirect). */
  flash: Flash | null;
}

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

export type ConsoleEnv = { Variables: AppEnv['Variables'] & { console: ConsoleRequest } };
export type CC = Context<ConsoleEnv>;

/** UUID path segments only: anything else is not a console page. */
export const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const EVENT_PATH = `/events/:eventId{${UUID}}`;
