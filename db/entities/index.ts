import { Attendee, AttendeeHistory } from './attendee.entity';
import { AccessToken, EmailMessage } from './email.entity';
import { Event, EventSession } from './event.entity';
import { IdempotencyRecord } from './idempotency.entity';
import { ApiKey, Organization } from './organization.entity';

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
];

export {
  AccessToken,
  ApiKey,
  Attendee,
  AttendeeHistory,
  EmailMessage,
  Event,
  EventSession,
  IdempotencyRecord,
  Organization,
};
