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
  registration_confirmation: {
    confirmSubject: 'Bestätigen Sie Ihre E-Mail-Adresse für {event}',
    confirmPreview: '{name}, nur noch ein Schritt, um Ihre Registrierung für {event} abzuschließen.',
    confirmBody:
      'Vielen Dank für Ihre Registrierung für {event}. Bitte bestätigen Sie Ihre E-Mail-Adresse, um die Registrierung abzuschließen.',
    confirmButton: 'E-Mail-Adresse bestätigen',
    confirmFooter:
      'Sie erhalten diese E-Mail, weil mit dieser Adresse eine Registrierung für {event} vorgenommen wurde. Falls Sie das nicht waren, können Sie diese E-Mail einfach ignorieren.',
    registeredSubject: 'Sie sind für {event} registriert',
    registeredPreview: '{name}, Ihre Registrierung für {event} ist abgeschlossen.',
    registeredBody: 'Sie sind für {event} registriert. Wir freuen uns auf Sie.',
    registeredButton: 'Zur Veranstaltung',
    registeredFooter: 'Sie erhalten diese E-Mail, weil Sie sich für {event} registriert haben.',
    greeting: 'Hallo {name},',
    startsAt: 'Beginn: {date} ({timezone})',
    fallback: 'Falls der Button nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:',
  },
  login_link: {
    subject: 'Ihr Anmeldelink für {event}',
    preview: '{name}, hier ist Ihr Link zur Anmeldung bei {event}.',
    greeting: 'Hallo {name},',
    body: 'Mit dem Button unten melden Sie sich bei {event} an.',
    validity:
      'Der Link ist {duration} gültig und kann nur einmal verwendet werden. Bitte geben Sie ihn nicht weiter.',
    button: 'Anmelden',
    fallback: 'Falls der Button nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:',
    footer:
      'Sie erhalten diese E-Mail, weil für diese Adresse ein Anmeldelink für {event} angefordert wurde. Falls Sie ihn nicht angefordert haben, können Sie diese E-Mail einfach ignorieren.',
  },
  reminder: {
    registerSubject: 'Erinnerung: Registrieren Sie sich für {event}',
    registerPreview: '{name}, Sie haben sich noch nicht für {event} registriert.',
    registerBody:
      'Sie sind zu {event} eingeladen, haben sich aber noch nicht registriert. Registrieren Sie sich jetzt, damit Sie nichts verpassen.',
    registerButton: 'Jetzt registrieren',
    registerFooter:
      'Sie erhalten diese Erinnerung, weil das Organisationsteam von {event} Sie eingeladen hat.',
    joinSubject: '{event} beginnt bald',
    joinPreview: '{name}, {event} beginnt in Kürze.',
    joinBody: '{event} beginnt bald. Wir freuen uns auf Sie.',
    joinButton: 'Zur Veranstaltung',
    joinFooter: 'Sie erhalten diese Erinnerung, weil Sie sich für {event} registriert haben.',
    greeting: 'Hallo {name},',
    startsAt: 'Beginn: {date} ({timezone})',
    fallback: 'Falls der Button nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:',
  },
  import_finished: {
    completedSubject: 'Sammeleinladung abgeschlossen: {event}',
    cancelledSubject: 'Sammeleinladung abgebrochen: {event}',
    failedSubject: 'Sammeleinladung fehlgeschlagen: {event}',
    preview: 'Sammeleinladung für {event}: {invited} eingeladen, {failed} fehlgeschlagen.',
    completedBody: 'Die Sammeleinladung für {event} ist abgeschlossen. Hier die Zusammenfassung:',
    cancelledBody:
      'Die Sammeleinladung für {event} wurde abgebrochen, bevor alle Zeilen verarbeitet waren. Bis dahin wurde Folgendes erledigt:',
    failedBody:
      'Die Sammeleinladung für {event} wurde wegen eines Fehlers angehalten. Bis dahin wurde Folgendes erledigt:',
    rows: 'Zeilen in der Datei: {count}',
    invited: 'Eingeladene Personen: {count}',
    emailed: 'Versendete Einladungs-E-Mails: {count}',
    failed: 'Fehlgeschlagene Zeilen: {count}',
    button: 'Import ansehen',
    fallback: 'Falls der Button nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:',
    footer: 'Sie erhalten diese E-Mail, weil für {event} eine Sammeleinladung gestartet wurde.',
  },
  message: {
    invitationButton: 'Einladung annehmen',
    loginButton: 'Anmelden',
    fallback: 'Falls der Button nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:',
    footer:
      'Sie erhalten diese Nachricht von den Organisatoren von {event}, weil Sie auf der Teilnehmerliste stehen.',
  },
};
