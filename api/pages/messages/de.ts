import type { PageMessages } from './types';

export const de: PageMessages = {
  invitedTitle: 'Sie sind zu {event} eingeladen',
  sessions: 'Programm',
  firstName: 'Vorname',
  lastName: 'Nachname',
  company: 'Firma (optional)',
  jobTitle: 'Position (optional)',
  email: 'E-Mail-Adresse',
  checkEmailTitle: 'Bitte prüfen Sie Ihr Postfach',
  checkEmailBody:
    'Wir haben Ihnen eine E-Mail geschickt. Öffnen Sie den Link darin, um Ihre Adresse zu bestätigen und die Registrierung für {event} abzuschließen.',
  confirmTitle: 'E-Mail-Adresse bestätigen',
  loginTitle: 'Anmelden bei {event}',
  loginBody: 'Geben Sie Ihre E-Mail-Adresse ein, und wir senden Ihnen einen Link zur Anmeldung.',
  sendLink: 'Link senden',
  linkSentBody:
    'Falls diese Adresse für {event} registriert ist, ist ein Anmeldelink unterwegs. Er ist nur einmal und für begrenzte Zeit gültig.',
  loginLandingBody: 'Fahren Sie fort, um sich bei {event} anzumelden.',
  registerTitle: 'Registrierung für {event}',
  myPageTitle: 'Ihre Registrierung für {event}',
  status: 'Status',
  statuses: {
    invited: 'Eingeladen',
    registered: 'Registriert',
    attended: 'Teilgenommen',
    sso_login: 'Angemeldet',
    unregistered: 'Abgemeldet',
    blocked: 'Gesperrt',
  },
  awaitingConfirmation:
    'Bitte bestätigen Sie Ihre E-Mail-Adresse mit dem Link, den wir Ihnen geschickt haben.',
  addToCalendar: 'Zum Kalender hinzufügen',
  unregister: 'Teilnahme absagen',
  unregisterTitle: 'Teilnahme an {event} absagen?',
  unregisterBody:
    'Sie sind dann nicht mehr für {event} registriert und können sich auf dieser Seite nicht erneut registrieren.',
  unregisterConfirm: 'Ja, absagen',
  back: 'Zurück',
  logout: 'Abmelden',
  unregisteredTitle: 'Ihre Teilnahme ist abgesagt',
  unregisteredBody:
    'Sie sind nicht mehr für {event} registriert. Wenden Sie sich an das Organisationsteam, wenn Sie wieder teilnehmen möchten.',
  expiredTitle: 'Dieser Link ist abgelaufen oder wurde bereits verwendet',
  expiredBody:
    'Links aus unseren E-Mails funktionieren nur einmal und für begrenzte Zeit. Geben Sie Ihre E-Mail-Adresse ein, um einen neuen zu erhalten.',
  blockedTitle: 'Sie können an dieser Veranstaltung nicht teilnehmen',
  blockedBody:
    'Das Organisationsteam von {event} hat Ihren Zugang gesperrt. Wenden Sie sich an das Team, falls Sie das für einen Irrtum halten.',
  closedTitle: 'Diese Veranstaltung ist geschlossen',
  closedBody:
    '{event} steht nur Mitgliedern bestimmter Gruppen offen. Wenden Sie sich an das Organisationsteam, falls Sie Zugang haben sollten.',
  ssoTitle: 'Mit dem Konto Ihrer Organisation anmelden',
  ssoBody: '{event} verwendet Single Sign-on. Fahren Sie mit der Anmeldeseite Ihrer Organisation fort.',
  ssoButton: 'Weiter zur Anmeldung',
  notFoundTitle: 'Seite nicht gefunden',
  notFoundBody: 'Diese Seite existiert nicht oder ist nicht mehr verfügbar.',
  formExpiredTitle: 'Das Formular ist abgelaufen',
  formExpiredBody:
    'Zu Ihrer Sicherheit: Gehen Sie bitte zurück, laden Sie die Seite neu und versuchen Sie es noch einmal.',
  tooManyTitle: 'Zu viele Versuche',
  tooManyBody: 'Bitte warten Sie eine Minute und versuchen Sie es dann erneut.',
  errorTitle: 'Etwas ist schiefgelaufen',
  errorBody: 'Bitte versuchen Sie es gleich noch einmal.',
  unsubscribeTitle: 'Von diesen E-Mails abmelden?',
  unsubscribeBody:
    '{email} erhält keine E-Mails mehr von den Veranstaltern von {event}, weder zu dieser noch zu ihren anderen Veranstaltungen.',
  unsubscribeConfirm: 'Abmelden',
  unsubscribedTitle: 'Sie sind abgemeldet',
  unsubscribedBody:
    '{email} erhält keine E-Mails mehr von den Veranstaltern von {event}. Falls das ein Versehen war, wenden Sie sich bitte an sie.',
};
