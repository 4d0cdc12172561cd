import type { Messages } from './types';

export const da: Messages = {
  invitation: {
    subject: 'Du er inviteret til {event}',
    preview: '{name}, din invitation til {event} venter på dig.',
    greeting: 'Hej {name},',
    body: 'Du er inviteret til {event}. Vi håber at se dig der.',
    startsAt: 'Starttidspunkt: {date} ({timezone})',
    button: 'Accepter invitationen',
    fallback: 'Hvis knappen ikke virker, så kopiér dette link ind i din browser:',
    footer:
      'Du modtager denne e-mail, fordi en arrangør af {event} har inviteret dig. Hvis du ikke havde ventet en invitation, kan du se bort fra denne e-mail.',
  },
};
