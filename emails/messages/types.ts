/**
 * One message catalog per language. Each email kind is a sibling key, so adding a kind
 * makes every catalog that lacks it a compile error.
 *
 * Values may hold `{placeholder}`s, filled by `interpolate`.
 */
export type Messages = {
  invitation: InvitationMessages;
  registration_confirmation: RegistrationConfirmationMessages;
  login_link: LoginLinkMessages;
  reminder: ReminderMessages;
  import_finished: ImportFinishedMessages;
  message: CustomMessageMessages;
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

/**
 * `confirm*` when the email address still has to be confirmed, `registered*` when the
 * registration is already complete. Placeholders as in the invitation.
 */
export type RegistrationConfirmationMessages = {
  confirmSubject: string;
  confirmPreview: string;
  confirmBody: string;
  confirmButton: string;
  confirmFooter: string;
  registeredSubject: string;
  registeredPreview: string;
  registeredBody: string;
  registeredButton: string;
  registeredFooter: string;
  greeting: string;
  startsAt: string;
  fallback: string;
};

/**
 * Placeholders: `{name}`, `{event}`, and `{duration}`: the validity with its unit, already
 * pluralized for the language ("15 minutes", "15 Minuten", "15 минут"), so phrase the
 * sentence around a counted noun in its base (nominative) form.
 */
export type LoginLinkMessages = {
  subject: string;
  preview: string;
  greeting: string;
  body: string;
  validity: string;
  button: string;
  fallback: string;
  footer: string;
};

/** `register*` for someone invited who has not registered, `join*` for someone registered. */
export type ReminderMessages = {
  registerSubject: string;
  registerPreview: string;
  registerBody: string;
  registerButton: string;
  registerFooter: string;
  joinSubject: string;
  joinPreview: string;
  joinBody: string;
  joinButton: string;
  joinFooter: string;
  greeting: string;
  startsAt: string;
  fallback: string;
};

/**
 * To the organizer, so no `{name}`. `{event}` event name; `{count}` one formatted number;
 * `{invited}` and `{failed}` in the preview.
 */
export type ImportFinishedMessages = {
  completedSubject: string;
  cancelledSubject: string;
  failedSubject: string;
  preview: string;
  completedBody: string;
  cancelledBody: string;
  failedBody: string;
  rows: string;
  invited: string;
  emailed: string;
  failed: string;
  button: string;
  fallback: string;
  footer: string;
};

/**
 * The frame around an organizer-written message (its subject and body are the organizer's):
 * the button of the reader's way in, when the message carries one, and the footer. `{event}`.
 */
export type CustomMessageMessages = {
  invitationButton: string;
  loginButton: string;
  fallback: string;
  footer: string;
};

export type EmailKind = keyof Messages;
