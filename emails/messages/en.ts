import type { Messages } from './types';

export const en: Messages = {
  invitation: {
    subject: "You're invited to {event}",
    preview: '{name}, your invitation to {event} is waiting.',
    greeting: 'Hi {name},',
    body: "You're invited to {event}. We'd love to see you there.",
    startsAt: 'Starts: {date} ({timezone})',
    button: 'Accept invitation',
    fallback: "If the button doesn't work, copy this link into your browser:",
    footer:
      "You received this email because an organizer of {event} invited you. If you weren't expecting an invitation, you can ignore this email.",
  },
  registration_confirmation: {
    confirmSubject: 'Confirm your email address for {event}',
    confirmPreview: '{name}, one more step to complete your registration for {event}.',
    confirmBody:
      'Thanks for registering for {event}. Please confirm your email address to complete your registration.',
    confirmButton: 'Confirm email',
    confirmFooter:
      "You received this email because this address was used to register for {event}. If that wasn't you, you can ignore this email.",
    registeredSubject: "You're registered for {event}",
    registeredPreview: '{name}, your registration for {event} is complete.',
    registeredBody: "You're registered for {event}. We look forward to seeing you there.",
    registeredButton: 'Go to the event',
    registeredFooter: 'You received this email because you registered for {event}.',
    greeting: 'Hi {name},',
    startsAt: 'Starts: {date} ({timezone})',
    fallback: "If the button doesn't work, copy this link into your browser:",
  },
  login_link: {
    subject: 'Your sign-in link for {event}',
    preview: '{name}, here is your link to sign in to {event}.',
    greeting: 'Hi {name},',
    body: 'Use the button below to sign in to {event}.',
    validity: "The link is valid for {duration} and can be used only once. Please don't share it.",
    button: 'Sign in',
    fallback: "If the button doesn't work, copy this link into your browser:",
    footer:
      "You received this email because a sign-in link for {event} was requested for this address. If you didn't ask for it, you can ignore this email.",
  },
  reminder: {
    registerSubject: 'Reminder: register for {event}',
    registerPreview: "{name}, you haven't registered for {event} yet.",
    registerBody:
      "You're invited to {event}, but you haven't registered yet. Register now so you don't miss it.",
    registerButton: 'Register now',
    registerFooter: 'You received this reminder because an organizer of {event} invited you.',
    joinSubject: '{event} starts soon',
    joinPreview: '{name}, {event} is about to begin.',
    joinBody: '{event} starts soon. We look forward to seeing you there.',
    joinButton: 'Join the event',
    joinFooter: 'You received this reminder because you registered for {event}.',
    greeting: 'Hi {name},',
    startsAt: 'Starts: {date} ({timezone})',
    fallback: "If the button doesn't work, copy this link into your browser:",
  },
  import_finished: {
    completedSubject: 'Bulk invite finished: {event}',
    cancelledSubject: 'Bulk invite cancelled: {event}',
    failedSubject: 'Bulk invite failed: {event}',
    preview: 'Bulk invite for {event}: {invited} invited, {failed} failed.',
    completedBody: 'The bulk invite for {event} has finished. Here is the summary:',
    cancelledBody:
      'The bulk invite for {event} was cancelled before every row was processed. Here is what was done:',
    failedBody:
      'The bulk invite for {event} stopped because of an error. Here is what was done before it stopped:',
    rows: 'Rows in the file: {count}',
    invited: 'People invited: {count}',
    emailed: 'Invitations emailed: {count}',
    failed: 'Rows that failed: {count}',
    button: 'View the import',
    fallback: "If the button doesn't work, copy this link into your browser:",
    footer: 'You received this email because a bulk invite was started for {event}.',
  },
  message: {
    invitationButton: 'Accept invitation',
    loginButton: 'Sign in',
    fallback: "If the button doesn't work, copy this link into your browser:",
    footer: 'You received this message from the organizers of {event} because you are on its attendee list.',
  },
};
