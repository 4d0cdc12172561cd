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
};
