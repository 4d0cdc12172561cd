import { Attendee, AttendeeHistory, AttendeeSession, AttendeeVisit } from './attendee.entity';
import { AccessToken, EmailMessage } from './email.entity';
import { Event, EventSession } from './event.entity';
import { IdempotencyRecord } from './idempotency.entity';
import { Import, ImportRow } from './import.entity';
import { Erasure, Image } from './media.entity';
import { ApiKey, Organization } from './organization.entity';
import { ReminderRule, ReminderRun } from './reminder.entity';
import { AuditEntry, RateLimitWindow } from './security.entity';

export const entities = [
  Organization,
  ApiKey,
  Event,
  EventSession,
  Attendee,
  AttendeeHistory,
  EmailMessage,
  AccessToken,
  IdempotencyRecord,
  Import,
  ImportRow,
  AttendeeSession,
  AttendeeVisit,
  Image,
  Erasure,
  AuditEntry,
  RateLimitWindow,
  ReminderRule,
  ReminderRun,
];

export {
  AccessToken,
  ApiKey,
  Attendee,
  AttendeeHistory,
  AttendeeSession,
  AttendeeVisit,
  EmailMessage,
  Erasure,
  Event,
  EventSession,
  IdempotencyRecord,
  Image,
  Import,
  ImportRow,
  Organization,
  ReminderRule,
  ReminderRun,
};
