import type { Orm } from '../db/orm';
import type { EmailTransport } from './email-transport';

/** What every activity factory is given by the worker's composition root: no client is made inside. */
export interface ActivityDeps {
  orm: Orm;
  email: EmailTransport;
  emailFrom: string;
  eventSiteUrl: string;
  /** How long an attendee's workflow stays open after its event ends (ATTENDEE_WORKFLOW_RETENTION_DAYS). */
  attendeeRetentionMs?: number;
  now?: () => Date;
}
