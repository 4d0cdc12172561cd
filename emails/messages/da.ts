import type { Messages } from './types';

export const da: Messages = {
  invitation: {
    subject: 'Du er inviteret til {event}',
    preview: '{name}, din invitation til {event} venter på dig.',
    greeting: 'Hej {name},',
    body: 'Du er inviteret til {event}. Vi håber at se dig der.',
    startsAt: 'Starttidspunkt: {date} ({timezone})',
    button: 'Accepter invitationen',
    fallback: 'Hvis knappen ikke virker, så kopiér dette link ind i din browser:',
    footer:
      'Du modtager denne e-mail, fordi en arrangør af {event} har inviteret dig. Hvis du ikke havde ventet en invitation, kan du se bort fra denne e-mail.',
  },
  registration_confirmation: {
    confirmSubject: 'Bekræft din e-mailadresse til {event}',
    confirmPreview: '{name}, der mangler kun ét trin, før din tilmelding til {event} er gennemført.',
    confirmBody:
      'Tak for din tilmelding til {event}. Bekræft din e-mailadresse for at gennemføre tilmeldingen.',
    confirmButton: 'Bekræft e-mail',
    confirmFooter:
      'Du modtager denne e-mail, fordi adressen er blevet brugt til en tilmelding til {event}. Hvis det ikke var dig, kan du se bort fra denne e-mail.',
    registeredSubject: 'Du er tilmeldt {event}',
    registeredPreview: '{name}, din tilmelding til {event} er gennemført.',
    registeredBody: 'Du er tilmeldt {event}. Vi glæder os til at se dig.',
    registeredButton: 'Gå til arrangementet',
    registeredFooter: 'Du modtager denne e-mail, fordi du har tilmeldt dig {event}.',
    greeting: 'Hej {name},',
    startsAt: 'Starttidspunkt: {date} ({timezone})',
    fallback: 'Hvis knappen ikke virker, så kopiér dette link ind i din browser:',
  },
  login_link: {
    subject: 'Dit login-link til {event}',
    preview: '{name}, her er dit link til at logge ind på {event}.',
    greeting: 'Hej {name},',
    body: 'Brug knappen nedenfor til at logge ind på {event}.',
    validity: 'Linket er gyldigt i {duration} og kan kun bruges én gang. Del det ikke med andre.',
    button: 'Log ind',
    fallback: 'Hvis knappen ikke virker, så kopiér dette link ind i din browser:',
    footer:
      'Du modtager denne e-mail, fordi der er blevet bedt om et login-link til {event} for denne adresse. Hvis du ikke har bedt om det, kan du se bort fra denne e-mail.',
  },
  reminder: {
    registerSubject: 'Påmindelse: tilmeld dig {event}',
    registerPreview: '{name}, du har endnu ikke tilmeldt dig {event}.',
    registerBody:
      'Du er inviteret til {event}, men du har endnu ikke tilmeldt dig. Tilmeld dig nu, så du ikke går glip af noget.',
    registerButton: 'Tilmeld dig nu',
    registerFooter: 'Du modtager denne påmindelse, fordi en arrangør af {event} har inviteret dig.',
    joinSubject: '{event} starter snart',
    joinPreview: '{name}, {event} går snart i gang.',
    joinBody: '{event} starter snart. Vi glæder os til at se dig.',
    joinButton: 'Deltag i arrangementet',
    joinFooter: 'Du modtager denne påmindelse, fordi du har tilmeldt dig {event}.',
    greeting: 'Hej {name},',
    startsAt: 'Starttidspunkt: {date} ({timezone})',
    fallback: 'Hvis knappen ikke virker, så kopiér dette link ind i din browser:',
  },
  import_finished: {
    completedSubject: 'Masseinvitation gennemført: {event}',
    cancelledSubject: 'Masseinvitation annulleret: {event}',
    failedSubject: 'Masseinvitation mislykkedes: {event}',
    preview: 'Masseinvitation til {event}: {invited} inviteret, {failed} mislykkedes.',
    completedBody: 'Masseinvitationen til {event} er gennemført. Her er et overblik:',
    cancelledBody:
      'Masseinvitationen til {event} blev annulleret, før alle rækker var behandlet. Her er, hvad der nåede at blive gjort:',
    failedBody:
      'Masseinvitationen til {event} stoppede på grund af en fejl. Her er, hvad der nåede at blive gjort:',
    rows: 'Rækker i filen: {count}',
    invited: 'Inviterede personer: {count}',
    emailed: 'Sendte invitationsmails: {count}',
    failed: 'Mislykkede rækker: {count}',
    button: 'Se importen',
    fallback: 'Hvis knappen ikke virker, så kopiér dette link ind i din browser:',
    footer: 'Du modtager denne e-mail, fordi der er blevet startet en masseinvitation til {event}.',
  },
  message: {
    invitationButton: 'Accepter invitationen',
    loginButton: 'Log ind',
    fallback: 'Hvis knappen ikke virker, så kopiér dette link ind i din browser:',
    footer: 'Du modtager denne besked fra arrangørerne af {event}, fordi du er på deltagerlisten.',
  },
};
