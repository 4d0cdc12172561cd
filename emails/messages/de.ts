import type { Messages } from './types';

export const de: Messages = {
  invitation: {
    subject: 'Einladung zu {event}',
    preview: '{name}, Ihre Einladung zu {event} ist da.',
    greeting: 'Hallo {name},',
    body: 'Sie sind herzlich zu {event} eingeladen. Wir freuen uns auf Sie.',
    startsAt: 'Beginn: {date} ({timezone})',
    button: 'Einladung annehmen',
    fallback: 'Falls der Button nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:',
    footer:
      'Sie erhalten diese E-Mail, weil das Organisationsteam von {event} Sie eingeladen hat. Falls Sie keine Einladung erwartet haben, können Sie diese E-Mail einfach ignorieren.',
  },
};
