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
  registration_confirmation: {
    confirmSubject: 'Bevestig je e-mailadres voor {event}',
    confirmPreview: '{name}, nog één stap om je aanmelding voor {event} af te ronden.',
    confirmBody:
      'Bedankt voor je aanmelding voor {event}. Bevestig je e-mailadres om je aanmelding af te ronden.',
    confirmButton: 'E-mailadres bevestigen',
    confirmFooter:
      'Je ontvangt deze e-mail omdat dit adres is gebruikt om je aan te melden voor {event}. Was jij dit niet? Dan kun je deze e-mail negeren.',
    registeredSubject: 'Je bent aangemeld voor {event}',
    registeredPreview: '{name}, je aanmelding voor {event} is rond.',
    registeredBody: 'Je bent aangemeld voor {event}. We hopen je daar te zien.',
    registeredButton: 'Naar het evenement',
    registeredFooter: 'Je ontvangt deze e-mail omdat je je hebt aangemeld voor {event}.',
    greeting: 'Hallo {name},',
    startsAt: 'Aanvang: {date} ({timezone})',
    fallback: 'Werkt de knop niet? Kopieer dan deze link naar je browser:',
  },
  login_link: {
    subject: 'Je inloglink voor {event}',
    preview: '{name}, hier is je link om in te loggen bij {event}.',
    greeting: 'Hallo {name},',
    body: 'Gebruik de knop hieronder om in te loggen bij {event}.',
    validity: 'De link is {duration} geldig en kan maar één keer worden gebruikt. Deel hem met niemand.',
    button: 'Inloggen',
    fallback: 'Werkt de knop niet? Kopieer dan deze link naar je browser:',
    footer:
      'Je ontvangt deze e-mail omdat er voor dit adres een inloglink voor {event} is aangevraagd. Heb je die niet aangevraagd? Dan kun je deze e-mail negeren.',
  },
  reminder: {
    registerSubject: 'Herinnering: meld je aan voor {event}',
    registerPreview: '{name}, je hebt je nog niet aangemeld voor {event}.',
    registerBody:
      'Je bent uitgenodigd voor {event}, maar je hebt je nog niet aangemeld. Meld je nu aan, zodat je niets mist.',
    registerButton: 'Nu aanmelden',
    registerFooter: 'Je ontvangt deze herinnering omdat een organisator van {event} je heeft uitgenodigd.',
    joinSubject: '{event} begint binnenkort',
    joinPreview: '{name}, {event} gaat zo beginnen.',
    joinBody: '{event} begint binnenkort. We hopen je daar te zien.',
    joinButton: 'Deelnemen aan het evenement',
    joinFooter: 'Je ontvangt deze herinnering omdat je je hebt aangemeld voor {event}.',
    greeting: 'Hallo {name},',
    startsAt: 'Aanvang: {date} ({timezone})',
    fallback: 'Werkt de knop niet? Kopieer dan deze link naar je browser:',
  },
  import_finished: {
    completedSubject: 'Bulkuitnodiging voltooid: {event}',
    cancelledSubject: 'Bulkuitnodiging geannuleerd: {event}',
    failedSubject: 'Bulkuitnodiging mislukt: {event}',
    preview: 'Bulkuitnodiging voor {event}: {invited} uitgenodigd, {failed} mislukt.',
    completedBody: 'De bulkuitnodiging voor {event} is voltooid. Hier is het overzicht:',
    cancelledBody:
      'De bulkuitnodiging voor {event} is geannuleerd voordat alle rijen waren verwerkt. Dit is er tot dan toe gedaan:',
    failedBody: 'De bulkuitnodiging voor {event} is door een fout gestopt. Dit is er tot dan toe gedaan:',
    rows: 'Rijen in het bestand: {count}',
    invited: 'Uitgenodigde personen: {count}',
    emailed: 'Verzonden uitnodigingsmails: {count}',
    failed: 'Mislukte rijen: {count}',
    button: 'Import bekijken',
    fallback: 'Werkt de knop niet? Kopieer dan deze link naar je browser:',
    footer: 'Je ontvangt deze e-mail omdat er een bulkuitnodiging voor {event} is gestart.',
  },
  message: {
    invitationButton: 'Uitnodiging accepteren',
    loginButton: 'Inloggen',
    fallback: 'Werkt de knop niet? Kopieer dan deze link naar je browser:',
    footer: 'Je ontvangt dit bericht van de organisatoren van {event} omdat je op de deelnemerslijst staat.',
  },
};
