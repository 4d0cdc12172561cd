import type { PageMessages } from './types';

export const fi: PageMessages = {
  invitedTitle: 'Sinut on kutsuttu tapahtumaan {event}',
  sessions: 'Ohjelma',
  firstName: 'Etunimi',
  lastName: 'Sukunimi',
  company: 'Yritys (valinnainen)',
  jobTitle: 'Tehtävänimike (valinnainen)',
  email: 'Sähköpostiosoite',
  checkEmailTitle: 'Tarkista sähköpostisi',
  checkEmailBody:
    'Lähetimme sinulle sähköpostin. Avaa siinä oleva linkki vahvistaaksesi osoitteesi ja viimeistelläksesi ilmoittautumisen tapahtumaan {event}.',
  confirmTitle: 'Vahvista sähköpostiosoitteesi',
  loginTitle: 'Kirjaudu tapahtumaan {event}',
  loginBody: 'Anna sähköpostiosoitteesi, niin lähetämme sinulle kirjautumislinkin.',
  sendLink: 'Lähetä linkki',
  linkSentBody:
    'Jos tämä osoite on ilmoittautunut tapahtumaan {event}, kirjautumislinkki on matkalla. Se toimii kerran ja rajoitetun ajan.',
  loginLandingBody: 'Jatka kirjautuaksesi tapahtumaan {event}.',
  registerTitle: 'Ilmoittautuminen: {event}',
  myPageTitle: 'Ilmoittautumisesi: {event}',
  status: 'Tila',
  statuses: {
    invited: 'Kutsuttu',
    registered: 'Ilmoittautunut',
    attended: 'Osallistunut',
    sso_login: 'Kirjautunut',
    unregistered: 'Ilmoittautuminen peruttu',
    blocked: 'Estetty',
  },
  awaitingConfirmation: 'Vahvista sähköpostiosoitteesi lähettämämme linkin kautta.',
  addToCalendar: 'Lisää kalenteriin',
  unregister: 'Peru ilmoittautuminen',
  unregisterTitle: 'Perutaanko ilmoittautuminen tapahtumaan {event}?',
  unregisterBody:
    'Et ole enää ilmoittautunut tapahtumaan {event}, etkä voi ilmoittautua uudelleen tällä sivulla.',
  unregisterConfirm: 'Kyllä, peru',
  back: 'Takaisin',
  logout: 'Kirjaudu ulos',
  unregisteredTitle: 'Ilmoittautumisesi on peruttu',
  unregisteredBody:
    'Et ole enää ilmoittautunut tapahtumaan {event}. Ota yhteyttä järjestäjiin, jos haluat osallistua uudelleen.',
  expiredTitle: 'Linkki on vanhentunut tai jo käytetty',
  expiredBody:
    'Sähköpostiemme linkit toimivat kerran ja rajoitetun ajan. Anna sähköpostiosoitteesi saadaksesi uuden.',
  blockedTitle: 'Et voi osallistua tähän tapahtumaan',
  blockedBody:
    'Tapahtuman {event} järjestäjät ovat sulkeneet pääsysi. Ota heihin yhteyttä, jos uskot tämän olevan virhe.',
  closedTitle: 'Tämä tapahtuma on suljettu',
  closedBody:
    '{event} on avoin vain tiettyjen ryhmien jäsenille. Ota yhteyttä järjestäjiin, jos sinulla pitäisi olla pääsy.',
  ssoTitle: 'Kirjaudu organisaatiosi tilillä',
  ssoBody: '{event} käyttää kertakirjautumista. Jatka organisaatiosi kirjautumissivulle.',
  ssoButton: 'Jatka kirjautumiseen',
  notFoundTitle: 'Sivua ei löytynyt',
  notFoundBody: 'Tätä sivua ei ole tai se ei ole enää saatavilla.',
  formExpiredTitle: 'Lomake on vanhentunut',
  formExpiredBody: 'Turvallisuutesi vuoksi palaa takaisin, lataa sivu uudelleen ja yritä uudestaan.',
  tooManyTitle: 'Liian monta yritystä',
  tooManyBody: 'Odota hetki ja yritä uudelleen.',
  errorTitle: 'Jokin meni vikaan',
  errorBody: 'Yritä hetken päästä uudelleen.',
  unsubscribeTitle: 'Lopetetaanko näiden sähköpostien lähettäminen?',
  unsubscribeBody:
    '{email} ei enää saa sähköpostia tapahtuman {event} järjestäjiltä, ei tästä eikä heidän muista tapahtumistaan.',
  unsubscribeConfirm: 'Peru sähköpostit',
  unsubscribedTitle: 'Sähköpostit on peruttu',
  unsubscribedBody:
    '{email} ei enää saa sähköpostia tapahtuman {event} järjestäjiltä. Jos tämä oli virhe, ota yhteyttä järjestäjiin.',
};
