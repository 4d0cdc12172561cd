import { Attendee, AttendeeCount, AttendeeHistory, AttendeeSession, AttendeeVisit } from './attendee.entity';
import { BulkAction, BulkActionItem } from './bulk-action.entity';
import {
  DirectoryGroup,
  DirectoryMembership,
  DirectoryUser,
  EventGroupGrant,
  OidcSettings,
  ScimToken,
  SsoLoginAttempt,
} from './directory.entity';
import { AccessToken, EmailMessage } from './email.entity';
import { Event, EventLogo, EventSession } from './event.entity';
import { IdempotencyRecord } from './idempotency.entity';
import { Import, ImportPage, ImportRow } from './import.entity';
import { Erasure, Image } from './media.entity';
import { ApiKey, Organization } from './organization.entity';
import { ReminderRule, ReminderRun } from './reminder.entity';
import { AuditEntry, RateLimitWindow } from './security.entity';
import { EmailSuppression } from './suppression.entity';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent } from './webhook.entity';

export const entities = [
  Organization,
  ApiKey,
  Event,
  EventSession,
  EventLogo,
  Attendee,
  AttendeeCount,
  AttendeeHistory,
  EmailMessage,
  EmailSuppression,
  AccessToken,
  IdempotencyRecord,
  Import,
  ImportPage,
  ImportRow,
  BulkAction,
  BulkActionItem,
  AttendeeSession,
  AttendeeVisit,
  Image,
  Erasure,
  AuditEntry,
  RateLimitWindow,
  ReminderRule,
  ReminderRun,
  ScimToken,
  DirectoryUser,
  DirectoryGroup,
  DirectoryMembership,
  EventGroupGrant,
  OidcSettings,
  SsoLoginAttempt,
  WebhookEndpoint,
  WebhookEvent,
  WebhookDelivery,
  WebhookAttempt,
];

export {
  AccessToken,
  ApiKey,
  Attendee,
  AttendeeCount,
  AttendeeHistory,
  AttendeeSession,
  AttendeeVisit,
  BulkAction,
  BulkActionItem,
  DirectoryGroup,
  DirectoryMembership,
  DirectoryUser,
  EmailMessage,
  EmailSuppression,
  Erasure,
  Event,
  EventGroupGrant,
  EventSession,
  IdempotencyRecord,
  Image,
  Import,
  ImportPage,
  ImportRow,
  OidcSettings,
  Organization,
  ReminderRule,
  ReminderRun,
  ScimToken,
  SsoLoginAttempt,
  WebhookAttempt,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvent,
};
