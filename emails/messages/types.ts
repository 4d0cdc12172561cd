/**
 * One message catalog per language. Each email kind is a sibling key, so adding a kind
 * (registration_confirmation, login_link, reminder, import_finished) makes every catalog
 * that lacks it a compile error.
 *
 * Values may hold `{placeholder}`s, filled by `interpolate`.
 */
export type Messages = {
  invitation: InvitationMessages;
};

/** Placeholders: `{name}` first name, `{event}` event name, `{date}` start, `{timezone}` its zone. */
export type InvitationMessages = {
  subject: string;
  preview: string;
  greeting: string;
  body: string;
  startsAt: string;
  button: string;
  fallback: string;
  footer: string;
};

export type EmailKind = keyof Messages;
