import type { Messages } from './types';

// "tapahtumaan {event}" spares the event name from Finnish case endings.
export const fi: Messages = {
  invitation: {
    subject: 'Sinut on kutsuttu tapahtumaan {event}',
    preview: '{name}, kutsusi tapahtumaan {event} odottaa.',
    greeting: 'Hei {name}!',
    body: 'Sinut on kutsuttu tapahtumaan {event}. Toivottavasti nähdään siellä!',
    startsAt: 'Alkaa: {date} ({timezone})',
    button: 'Hyväksy kutsu',
    fallback: 'Jos painike ei toimi, kopioi tämä linkki selaimeesi:',
    footer:
      'Sait tämän viestin, koska tapahtuman {event} järjestäjä kutsui sinut. Jos et odottanut kutsua, voit jättää tämän viestin huomiotta.',
  },
  registration_confirmation: {
    confirmSubject: 'Vahvista ilmoittautumisesi tapahtumaan {event}',
    confirmPreview: '{name}, enää yksi vaihe, niin ilmoittautumisesi tapahtumaan {event} on valmis.',
    confirmBody:
      'Kiitos ilmoittautumisestasi tapahtumaan {event}. Viimeistele ilmoittautuminen vahvistamalla sähköpostiosoitteesi.',
    confirmButton: 'Vahvista sähköposti',
    confirmFooter:
      'Sait tämän viestin, koska tällä osoitteella ilmoittauduttiin tapahtumaan {event}. Jos se et ollut sinä, voit jättää tämän viestin huomiotta.',
    registeredSubject: 'Olet ilmoittautunut tapahtumaan {event}',
    registeredPreview: '{name}, ilmoittautumisesi tapahtumaan {event} on valmis.',
    registeredBody: 'Olet ilmoittautunut tapahtumaan {event}. Nähdään siellä!',
    registeredButton: 'Siirry tapahtumaan',
    registeredFooter: 'Sait tämän viestin, koska ilmoittauduit tapahtumaan {event}.',
    greeting: 'Hei {name}!',
    startsAt: 'Alkaa: {date} ({timezone})',
    fallback: 'Jos painike ei toimi, kopioi tämä linkki selaimeesi:',
  },
  login_link: {
    subject: 'Kirjautumislinkkisi tapahtumaan {event}',
    preview: '{name}, tässä on linkkisi, jolla kirjaudut tapahtumaan {event}.',
    greeting: 'Hei {name}!',
    body: 'Kirjaudu tapahtumaan {event} alla olevalla painikkeella.',
    validity:
      'Linkin voimassaoloaika on {duration}, ja sitä voi käyttää vain kerran. Älä jaa linkkiä kenellekään.',
    button: 'Kirjaudu sisään',
    fallback: 'Jos painike ei toimi, kopioi tämä linkki selaimeesi:',
    footer:
      'Sait tämän viestin, koska tähän osoitteeseen pyydettiin kirjautumislinkkiä tapahtumaan {event}. Jos et pyytänyt linkkiä, voit jättää tämän viestin huomiotta.',
  },
  reminder: {
    registerSubject: 'Muistutus: ilmoittaudu tapahtumaan {event}',
    registerPreview: '{name}, et ole vielä ilmoittautunut tapahtumaan {event}.',
    registerBody:
      'Sinut on kutsuttu tapahtumaan {event}, mutta et ole vielä ilmoittautunut. Ilmoittaudu nyt, niin et jää paitsi.',
    registerButton: 'Ilmoittaudu nyt',
    registerFooter: 'Sait tämän muistutuksen, koska tapahtuman {event} järjestäjä kutsui sinut.',
    joinSubject: 'Tapahtuma {event} alkaa pian',
    joinPreview: '{name}, tapahtuma {event} alkaa kohta.',
    joinBody: 'Tapahtuma {event} alkaa pian. Nähdään siellä!',
    joinButton: 'Liity tapahtumaan',
    joinFooter: 'Sait tämän muistutuksen, koska ilmoittauduit tapahtumaan {event}.',
    greeting: 'Hei {name}!',
    startsAt: 'Alkaa: {date} ({timezone})',
    fallback: 'Jos painike ei toimi, kopioi tämä linkki selaimeesi:',
  },
  import_finished: {
    completedSubject: 'Joukkokutsu valmis: {event}',
    cancelledSubject: 'Joukkokutsu peruttu: {event}',
    failedSubject: 'Joukkokutsu epäonnistui: {event}',
    preview: 'Tapahtuman {event} joukkokutsu: kutsuttu {invited}, epäonnistui {failed}.',
    completedBody: 'Tapahtuman {event} joukkokutsu on valmis. Tässä yhteenveto:',
    cancelledBody:
      'Tapahtuman {event} joukkokutsu peruttiin ennen kuin kaikki rivit oli käsitelty. Tähän mennessä tehtiin seuraavaa:',
    failedBody:
      'Tapahtuman {event} joukkokutsu pysähtyi virheen vuoksi. Ennen pysähtymistä tehtiin seuraavaa:',
    rows: 'Rivejä tiedostossa: {count}',
    invited: 'Kutsuttuja henkilöitä: {count}',
    emailed: 'Lähetettyjä kutsuviestejä: {count}',
    failed: 'Epäonnistuneita rivejä: {count}',
    button: 'Näytä tuonti',
    fallback: 'Jos painike ei toimi, kopioi tämä linkki selaimeesi:',
    footer: 'Sait tämän viestin, koska tapahtumalle {event} käynnistettiin joukkokutsu.',
  },
  message: {
    invitationButton: 'Hyväksy kutsu',
    loginButton: 'Kirjaudu sisään',
    fallback: 'Jos painike ei toimi, kopioi tämä linkki selaimeesi:',
    footer: 'Sait tämän viestin tapahtuman {event} järjestäjiltä, koska olet osallistujalistalla.',
  },
};
