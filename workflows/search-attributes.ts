import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Roster's search attributes, so the Temporal Web UI can filter an organization's or an event's
 * workflows (e.g. `RosterEventId = "…" AND RosterAttendeeStatus = "invited"`). Registered by
 * `npm start` on the dev server and by the cluster's set-up (config/search-attributes.ts).
 */
export const SA = {
  organizationId: defineSearchAttributeKey('RosterOrganizationId', SearchAttributeType.KEYWORD),
  eventId: defineSearchAttributeKey('RosterEventId', SearchAttributeType.KEYWORD),
  /** An attendee workflow's status (invited, registered, …; `removed` when it holds nobody). */
  attendeeStatus: defineSearchAttributeKey('RosterAttendeeStatus', SearchAttributeType.KEYWORD),
  /** A bulk import's or bulk action's status (running, completed, cancelled, failed). */
  runStatus: defineSearchAttributeKey('RosterRunStatus', SearchAttributeType.KEYWORD),
} as const;

export const SEARCH_ATTRIBUTE_KEYS = Object.values(SA);

/** An attendee workflow's attributes as its starters give them (the workflow upserts later changes). */
export const attendeeSearchAttributes = (eventId: string, status: string) => [
  { key: SA.eventId, value: eventId },
  { key: SA.attendeeStatus, value: status },
];

/** A bulk import's or bulk action's attributes at its start (its finish upserts the final status). */
export const runSearchAttributes = (organizationId: string, eventId: string) => [
  { key: SA.organizationId, value: organizationId },
  { key: SA.eventId, value: eventId },
  { key: SA.runStatus, value: 'running' },
];
