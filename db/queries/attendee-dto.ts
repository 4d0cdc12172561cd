/**
 * The attendee as the API shows it (API.md "Attendee"), built from its row: one shape for the
 * organizer answers (api/shared/attendee-dto.ts re-exports these) and the webhook events that
 * carry an attendee (db/writes/webhook-events.ts). Pure, so the worker loads no HTTP code for it.
 */
import { type ActionContext, allowedActions, PROFILE_ROLES } from '../../domain/attendee-lifecycle';
import type { AttendeeRow } from './attendees';

/** What the action rules read of an attendee row. */
export const actionContext = (row: AttendeeRow): ActionContext => ({
  status: row.status,
  chatTermsAgreed: row.chat_terms_agreed,
  chatBlocked: row.chat_blocked,
  loginMode: row.login_mode,
  mustRegister: row.awaiting_confirmation || (row.status === 'invited' && row.requires_registration),
});

/** Who the attendee is: the fields both views start with. */
const person = (row: AttendeeRow) => ({
  id: row.id,
  eventId: row.event_id,
  email: row.email,
  firstName: row.first_name,
  lastName: row.last_name,
  language: row.language,
});

/** The attendee as organizers see it (API.md "Attendee"). */
export function toAttendeeDto(row: AttendeeRow) {
  const profile = row.roles.some((r) => PROFILE_ROLES.has(r));
  return {
    ...person(row),
    roles: row.roles,
    status: row.status,
    detailedStatus: row.detailed_status,
    ...(row.title ? { title: row.title } : {}),
    ...(row.company ? { company: row.company } : {}),
    ...(profile && row.bio ? { bio: row.bio } : {}),
    ...(profile && row.image_url ? { imageUrl: row.image_url } : {}),
    chatBlocked: row.chat_blocked,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    actions: allowedActions(actionContext(row)),
  };
}

/** What an attendee sees of themselves on the attendee-facing routes. */
export function toPublic(row: AttendeeRow) {
  return {
    ...person(row),
    status: row.status,
    detailedStatus: row.detailed_status,
    chatTermsAgreed: row.chat_terms_agreed,
    // The chat state, so the event site can show the terms or a "blocked from chat" notice.
    chat: { termsAgreed: row.chat_terms_agreed, blocked: row.chat_blocked },
  };
}
