import type { PageMessages } from './types';

export const ca: PageMessages = {
  invitedTitle: 'Us convidem a {event}',
  sessions: 'Sessions',
  firstName: 'Nom',
  lastName: 'Cognoms',
  company: 'Empresa (opcional)',
  jobTitle: 'Càrrec (opcional)',
  email: 'Adreça electrònica',
  checkEmailTitle: 'Reviseu el correu',
  checkEmailBody:
    'Us hem enviat un correu. Obriu-ne l’enllaç per confirmar la vostra adreça i completar el registre a {event}.',
  confirmTitle: 'Confirmeu la vostra adreça electrònica',
  loginTitle: 'Inicieu la sessió a {event}',
  loginBody: 'Introduïu la vostra adreça electrònica i us enviarem un enllaç per iniciar la sessió.',
  sendLink: 'Envia l’enllaç',
  linkSentBody:
    'Si aquesta adreça està registrada a {event}, us arribarà un enllaç d’inici de sessió. Funciona una sola vegada i durant un temps limitat.',
  loginLandingBody: 'Continueu per iniciar la sessió a {event}.',
  registerTitle: 'Registre a {event}',
  myPageTitle: 'El vostre registre a {event}',
  status: 'Estat',
  statuses: {
    invited: 'Convidat/ada',
    registered: 'Registrat/ada',
    attended: 'Hi ha assistit',
    sso_login: 'Sessió iniciada',
    unregistered: 'Baixa',
    blocked: 'Bloquejat/ada',
  },
  awaitingConfirmation: 'Confirmeu la vostra adreça electrònica amb l’enllaç que us hem enviat.',
  addToCalendar: 'Afegeix al calendari',
  unregister: 'Donar-se de baixa',
  unregisterTitle: 'Voleu donar-vos de baixa de {event}?',
  unregisterBody:
    'Deixareu d’estar registrat/ada a {event} i no us podreu tornar a registrar en aquesta pàgina.',
  unregisterConfirm: 'Sí, doneu-me de baixa',
  back: 'Enrere',
  logout: 'Tanca la sessió',
  unregisteredTitle: 'Us heu donat de baixa',
  unregisteredBody:
    'Ja no esteu registrat/ada a {event}. Contacteu amb l’organització si voleu tornar a participar.',
  expiredTitle: 'Aquest enllaç ha caducat o ja s’ha utilitzat',
  expiredBody:
    'Els enllaços dels nostres correus funcionen una sola vegada i durant un temps limitat. Introduïu la vostra adreça per rebre’n un de nou.',
  blockedTitle: 'No podeu participar en aquest esdeveniment',
  blockedBody: 'L’organització de {event} us ha tancat l’accés. Contacteu-hi si creieu que és un error.',
  closedTitle: 'Aquest esdeveniment és tancat',
  closedBody:
    '{event} només és obert als membres de determinats grups. Contacteu amb l’organització si creieu que hi hauríeu de tenir accés.',
  ssoTitle: 'Inicieu la sessió amb el compte de la vostra organització',
  ssoBody:
    '{event} utilitza l’inici de sessió únic. Continueu a la pàgina d’inici de sessió de la vostra organització.',
  ssoButton: 'Continua a l’inici de sessió',
  notFoundTitle: 'No s’ha trobat la pàgina',
  notFoundBody: 'Aquesta pàgina no existeix o ja no està disponible.',
  formExpiredTitle: 'El formulari ha caducat',
  formExpiredBody: 'Per la vostra seguretat, torneu enrere, recarregueu la pàgina i torneu-ho a provar.',
  tooManyTitle: 'Massa intents',
  tooManyBody: 'Espereu un minut i torneu-ho a provar.',
  errorTitle: 'Alguna cosa no ha anat bé',
  errorBody: 'Torneu-ho a provar d’aquí a un moment.',
  unsubscribeTitle: 'Voleu deixar de rebre aquests correus?',
  unsubscribeBody:
    '{email} deixarà de rebre correus dels organitzadors de {event}, tant d’aquest esdeveniment com dels altres.',
  unsubscribeConfirm: 'Deixar de rebre’ls',
  unsubscribedTitle: 'Ja no rebreu aquests correus',
  unsubscribedBody:
    '{email} deixarà de rebre correus dels organitzadors de {event}. Si ha estat un error, poseu-vos-hi en contacte.',
};
