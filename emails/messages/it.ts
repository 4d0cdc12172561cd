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
  registration_confirmation: {
    confirmSubject: 'Conferma il tuo indirizzo email per {event}',
    confirmPreview: "{name}, manca solo un passaggio per completare l'iscrizione a {event}.",
    confirmBody: 'Grazie per la tua iscrizione a {event}. Conferma il tuo indirizzo email per completarla.',
    confirmButton: 'Conferma email',
    confirmFooter:
      "Hai ricevuto questa email perché questo indirizzo è stato usato per un'iscrizione a {event}. Se non l'hai effettuata tu, puoi ignorare questo messaggio.",
    registeredSubject: 'La tua iscrizione a {event} è confermata',
    registeredPreview: "{name}, l'iscrizione a {event} è completa.",
    registeredBody: "La tua iscrizione a {event} è confermata. Non vediamo l'ora di vederti!",
    registeredButton: "Vai all'evento",
    registeredFooter: "Hai ricevuto questa email perché hai effettuato l'iscrizione a {event}.",
    greeting: 'Ciao {name},',
    startsAt: 'Inizio: {date} ({timezone})',
    fallback: 'Se il pulsante non funziona, copia questo link nel tuo browser:',
  },
  login_link: {
    subject: 'Il tuo link di accesso a {event}',
    preview: '{name}, ecco il tuo link per accedere a {event}.',
    greeting: 'Ciao {name},',
    body: 'Usa il pulsante qui sotto per accedere a {event}.',
    validity:
      'Il link è valido per {duration} e può essere usato una sola volta. Non condividerlo con nessuno.',
    button: 'Accedi',
    fallback: 'Se il pulsante non funziona, copia questo link nel tuo browser:',
    footer:
      "Hai ricevuto questa email perché per questo indirizzo è stato richiesto un link di accesso a {event}. Se non l'hai richiesto tu, puoi ignorare questo messaggio.",
  },
  reminder: {
    registerSubject: 'Promemoria: iscriviti a {event}',
    registerPreview: "{name}, non hai ancora completato l'iscrizione a {event}.",
    registerBody:
      "Hai ricevuto un invito a {event}, ma non hai ancora effettuato l'iscrizione. Iscriviti ora per non perdertelo.",
    registerButton: 'Iscriviti ora',
    registerFooter:
      'Hai ricevuto questo promemoria perché un organizzatore di {event} ti ha inviato un invito.',
    joinSubject: '{event} sta per iniziare',
    joinPreview: '{name}, {event} inizia a breve.',
    joinBody: "{event} inizia a breve. Non vediamo l'ora di vederti!",
    joinButton: "Partecipa all'evento",
    joinFooter: "Hai ricevuto questo promemoria perché hai effettuato l'iscrizione a {event}.",
    greeting: 'Ciao {name},',
    startsAt: 'Inizio: {date} ({timezone})',
    fallback: 'Se il pulsante non funziona, copia questo link nel tuo browser:',
  },
  import_finished: {
    completedSubject: 'Invito massivo completato: {event}',
    cancelledSubject: 'Invito massivo annullato: {event}',
    failedSubject: 'Invito massivo non riuscito: {event}',
    preview: 'Invito massivo per {event}. Persone invitate: {invited}; righe non riuscite: {failed}.',
    completedBody: "L'invito massivo per {event} è stato completato. Ecco il riepilogo:",
    cancelledBody:
      "L'invito massivo per {event} è stato annullato prima che tutte le righe fossero elaborate. Ecco cosa è stato fatto:",
    failedBody:
      "L'invito massivo per {event} si è interrotto a causa di un errore. Ecco cosa è stato fatto prima dell'interruzione:",
    rows: 'Righe nel file: {count}',
    invited: 'Persone invitate: {count}',
    emailed: 'Inviti inviati via email: {count}',
    failed: 'Righe non riuscite: {count}',
    button: "Visualizza l'importazione",
    fallback: 'Se il pulsante non funziona, copia questo link nel tuo browser:',
    footer: 'Hai ricevuto questa email perché è stato avviato un invito massivo per {event}.',
  },
  message: {
    invitationButton: "Accetta l'invito",
    loginButton: 'Accedi',
    fallback: 'Se il pulsante non funziona, copia questo link nel tuo browser:',
    footer:
      "Hai ricevuto questo messaggio dagli organizzatori di {event} perché sei nell'elenco dei partecipanti.",
  },
};
