import type { PageMessages } from './types';

export const it: PageMessages = {
  invitedTitle: 'Sei invitato/a a {event}',
  sessions: 'Sessioni',
  firstName: 'Nome',
  lastName: 'Cognome',
  company: 'Azienda (facoltativo)',
  jobTitle: 'Ruolo (facoltativo)',
  email: 'Indirizzo email',
  checkEmailTitle: 'Controlla la tua email',
  checkEmailBody:
    'Ti abbiamo inviato un’email. Apri il link che contiene per confermare il tuo indirizzo e completare la registrazione a {event}.',
  confirmTitle: 'Conferma il tuo indirizzo email',
  loginTitle: 'Accedi a {event}',
  loginBody: 'Inserisci il tuo indirizzo email e ti invieremo un link per accedere.',
  sendLink: 'Invia link',
  linkSentBody:
    'Se questo indirizzo è registrato a {event}, un link di accesso è in arrivo. Funziona una sola volta e per un tempo limitato.',
  loginLandingBody: 'Continua per accedere a {event}.',
  registerTitle: 'Registrazione a {event}',
  myPageTitle: 'La tua registrazione a {event}',
  status: 'Stato',
  statuses: {
    invited: 'Invitato/a',
    registered: 'Registrato/a',
    attended: 'Ha partecipato',
    sso_login: 'Accesso effettuato',
    unregistered: 'Registrazione annullata',
    blocked: 'Bloccato/a',
  },
  awaitingConfirmation: 'Conferma il tuo indirizzo email con il link che ti abbiamo inviato.',
  addToCalendar: 'Aggiungi al calendario',
  unregister: 'Annulla registrazione',
  unregisterTitle: 'Annullare la registrazione a {event}?',
  unregisterBody: 'Non sarai più registrato/a a {event} e non potrai registrarti di nuovo da questa pagina.',
  unregisterConfirm: 'Sì, annulla',
  back: 'Indietro',
  logout: 'Esci',
  unregisteredTitle: 'Registrazione annullata',
  unregisteredBody:
    'Non sei più registrato/a a {event}. Contatta gli organizzatori se vuoi partecipare di nuovo.',
  expiredTitle: 'Questo link è scaduto o è già stato usato',
  expiredBody:
    'I link delle nostre email funzionano una sola volta e per un tempo limitato. Inserisci il tuo indirizzo email per riceverne uno nuovo.',
  blockedTitle: 'Non puoi partecipare a questo evento',
  blockedBody:
    'Gli organizzatori di {event} hanno chiuso il tuo accesso. Contattali se pensi che sia un errore.',
  closedTitle: 'Questo evento è riservato',
  closedBody:
    '{event} è aperto solo ai membri di alcuni gruppi. Contatta gli organizzatori se pensi di dover avere accesso.',
  ssoTitle: 'Accedi con l’account della tua organizzazione',
  ssoBody:
    '{event} usa l’accesso unico (single sign-on). Prosegui alla pagina di accesso della tua organizzazione.',
  ssoButton: 'Prosegui all’accesso',
  notFoundTitle: 'Pagina non trovata',
  notFoundBody: 'Questa pagina non esiste o non è più disponibile.',
  formExpiredTitle: 'Il modulo è scaduto',
  formExpiredBody: 'Per la tua sicurezza, torna indietro, ricarica la pagina e riprova.',
  tooManyTitle: 'Troppi tentativi',
  tooManyBody: 'Attendi un minuto e riprova.',
  errorTitle: 'Qualcosa è andato storto',
  errorBody: 'Riprova tra un momento.',
  unsubscribeTitle: 'Non ricevere più queste email?',
  unsubscribeBody:
    '{email} non riceverà più email dagli organizzatori di {event}, né per questo evento né per gli altri.',
  unsubscribeConfirm: 'Non ricevere più email',
  unsubscribedTitle: 'Disiscrizione completata',
  unsubscribedBody:
    '{email} non riceverà più email dagli organizzatori di {event}. Se si tratta di un errore, contattali.',
};
