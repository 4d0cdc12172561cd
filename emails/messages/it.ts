import type { Messages } from './types';

export const it: Messages = {
  invitation: {
    subject: 'Il tuo invito a {event}',
    preview: '{name}, il tuo invito a {event} ti aspetta.',
    greeting: 'Ciao {name},',
    body: 'Ti invitiamo a partecipare a {event}. Speriamo di vederti!',
    startsAt: 'Inizio: {date} ({timezone})',
    button: "Accetta l'invito",
    fallback: 'Se il pulsante non funziona, copia questo link nel tuo browser:',
    footer:
      "Hai ricevuto questa email perché un organizzatore di {event} ti ha inviato un invito. Se non te l'aspettavi, puoi ignorare questo messaggio.",
  },
};
