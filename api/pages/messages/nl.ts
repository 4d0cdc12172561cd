import type { PageMessages } from './types';

export const nl: PageMessages = {
  invitedTitle: 'U bent uitgenodigd voor {event}',
  sessions: 'Sessies',
  firstName: 'Voornaam',
  lastName: 'Achternaam',
  company: 'Bedrijf (optioneel)',
  jobTitle: 'Functie (optioneel)',
  email: 'E-mailadres',
  checkEmailTitle: 'Controleer uw e-mail',
  checkEmailBody:
    'We hebben u een e-mail gestuurd. Open de link daarin om uw adres te bevestigen en uw registratie voor {event} af te ronden.',
  confirmTitle: 'Bevestig uw e-mailadres',
  loginTitle: 'Inloggen bij {event}',
  loginBody: 'Vul uw e-mailadres in en we sturen u een link om in te loggen.',
  sendLink: 'Link versturen',
  linkSentBody:
    'Als dit adres voor {event} is geregistreerd, is er een inloglink onderweg. Die werkt één keer en een beperkte tijd.',
  loginLandingBody: 'Ga verder om in te loggen bij {event}.',
  registerTitle: 'Registreren voor {event}',
  myPageTitle: 'Uw registratie voor {event}',
  status: 'Status',
  statuses: {
    invited: 'Uitgenodigd',
    registered: 'Geregistreerd',
    attended: 'Aanwezig geweest',
    sso_login: 'Ingelogd',
    unregistered: 'Afgemeld',
    blocked: 'Geblokkeerd',
  },
  awaitingConfirmation: 'Bevestig uw e-mailadres met de link die we u hebben gestuurd.',
  addToCalendar: 'Aan agenda toevoegen',
  unregister: 'Afmelden',
  unregisterTitle: 'Afmelden voor {event}?',
  unregisterBody:
    'U bent dan niet meer geregistreerd voor {event} en kunt zich op deze pagina niet opnieuw registreren.',
  unregisterConfirm: 'Ja, afmelden',
  back: 'Terug',
  logout: 'Uitloggen',
  unregisteredTitle: 'U bent afgemeld',
  unregisteredBody:
    'U bent niet meer geregistreerd voor {event}. Neem contact op met de organisatie als u weer wilt deelnemen.',
  expiredTitle: 'Deze link is verlopen of al gebruikt',
  expiredBody:
    'Links uit onze e-mails werken één keer en een beperkte tijd. Vul uw e-mailadres in om een nieuwe te krijgen.',
  blockedTitle: 'U kunt niet deelnemen aan dit evenement',
  blockedBody:
    'De organisatie van {event} heeft uw toegang afgesloten. Neem contact met hen op als u denkt dat dit een vergissing is.',
  closedTitle: 'Dit evenement is besloten',
  closedBody:
    '{event} staat alleen open voor leden van bepaalde groepen. Neem contact op met de organisatie als u denkt dat u toegang zou moeten hebben.',
  ssoTitle: 'Log in met het account van uw organisatie',
  ssoBody: '{event} gebruikt single sign-on. Ga verder naar de inlogpagina van uw organisatie.',
  ssoButton: 'Verder naar inloggen',
  notFoundTitle: 'Pagina niet gevonden',
  notFoundBody: 'Deze pagina bestaat niet of is niet meer beschikbaar.',
  formExpiredTitle: 'Het formulier is verlopen',
  formExpiredBody: 'Ga voor uw veiligheid terug, laad de pagina opnieuw en probeer het nog eens.',
  tooManyTitle: 'Te veel pogingen',
  tooManyBody: 'Wacht een minuut en probeer het opnieuw.',
  errorTitle: 'Er is iets misgegaan',
  errorBody: 'Probeer het zo meteen opnieuw.',
  unsubscribeTitle: 'Uitschrijven voor deze e-mails?',
  unsubscribeBody:
    '{email} ontvangt geen e-mails meer van de organisatoren van {event}, voor dit evenement en hun andere evenementen.',
  unsubscribeConfirm: 'Uitschrijven',
  unsubscribedTitle: 'U bent uitgeschreven',
  unsubscribedBody:
    '{email} ontvangt geen e-mails meer van de organisatoren van {event}. Was dit een vergissing? Neem dan contact met hen op.',
};
