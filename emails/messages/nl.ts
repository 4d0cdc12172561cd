import type { Messages } from './types';

export const nl: Messages = {
  invitation: {
    subject: 'Je bent uitgenodigd voor {event}',
    preview: '{name}, je uitnodiging voor {event} staat klaar.',
    greeting: 'Hallo {name},',
    body: 'Je bent uitgenodigd voor {event}. We hopen je daar te zien.',
    startsAt: 'Aanvang: {date} ({timezone})',
    button: 'Uitnodiging accepteren',
    fallback: 'Werkt de knop niet? Kopieer dan deze link naar je browser:',
    footer:
      'Je ontvangt deze e-mail omdat een organisator van {event} je heeft uitgenodigd. Had je deze uitnodiging niet verwacht? Dan kun je deze e-mail negeren.',
  },
};
