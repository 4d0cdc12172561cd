import type { Messages } from './types';

// Quebec usage: "courriel"; the no-break space before ":" is kept, as the OQLF recommends.
export const frCA: Messages = {
  invitation: {
    subject: 'Votre invitation à {event}',
    preview: '{name}, votre invitation à {event} vous attend.',
    greeting: 'Bonjour {name},',
    body: 'Nous avons le plaisir de vous inviter à {event}. Au plaisir de vous y voir!',
    startsAt: 'Début\u00a0: {date} ({timezone})',
    button: "Accepter l'invitation",
    fallback: 'Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur\u00a0:',
    footer:
      "Vous recevez ce courriel parce qu'un organisateur de {event} vous a envoyé une invitation. Si vous ne l'attendiez pas, vous pouvez ignorer ce courriel.",
  },
  registration_confirmation: {
    confirmSubject: 'Confirmez votre adresse courriel pour {event}',
    confirmPreview: "{name}, plus qu'une étape pour finaliser votre inscription à {event}.",
    confirmBody:
      'Merci de votre inscription à {event}. Veuillez confirmer votre adresse courriel pour finaliser votre inscription.',
    confirmButton: 'Confirmer mon courriel',
    confirmFooter:
      "Vous recevez ce courriel parce que cette adresse a été utilisée pour s'inscrire à {event}. Si ce n'était pas vous, vous pouvez ignorer ce courriel.",
    registeredSubject: 'Votre inscription à {event} est confirmée',
    registeredPreview: '{name}, votre inscription à {event} est complétée.',
    registeredBody: 'Votre inscription à {event} est bien enregistrée. Au plaisir de vous y voir!',
    registeredButton: "Accéder à l'événement",
    registeredFooter: 'Vous recevez ce courriel parce que vous avez effectué une inscription à {event}.',
    greeting: 'Bonjour {name},',
    startsAt: 'Début\u00a0: {date} ({timezone})',
    fallback: 'Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur\u00a0:',
  },
  login_link: {
    subject: 'Votre lien de connexion à {event}',
    preview: '{name}, voici votre lien pour vous connecter à {event}.',
    greeting: 'Bonjour {name},',
    body: 'Utilisez le bouton ci-dessous pour vous connecter à {event}.',
    validity:
      "Ce lien est valide pendant {duration} et ne peut être utilisé qu'une seule fois. Ne le partagez avec personne.",
    button: 'Se connecter',
    fallback: 'Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur\u00a0:',
    footer:
      "Vous recevez ce courriel parce qu'un lien de connexion à {event} a été demandé pour cette adresse. Si vous ne l'avez pas demandé, vous pouvez ignorer ce courriel.",
  },
  reminder: {
    registerSubject: 'Rappel\u00a0: inscrivez-vous à {event}',
    registerPreview: "{name}, il ne vous reste plus qu'à vous inscrire à {event}.",
    registerBody:
      "Vous avez reçu une invitation à {event}, mais votre inscription n'est pas encore faite. Inscrivez-vous dès maintenant pour ne rien manquer.",
    registerButton: "M'inscrire maintenant",
    registerFooter:
      "Vous recevez ce rappel parce qu'un organisateur de {event} vous a envoyé une invitation.",
    joinSubject: '{event} commence bientôt',
    joinPreview: '{name}, {event} va bientôt commencer.',
    joinBody: '{event} commence bientôt. Au plaisir de vous y voir!',
    joinButton: "Rejoindre l'événement",
    joinFooter: 'Vous recevez ce rappel parce que vous avez effectué une inscription à {event}.',
    greeting: 'Bonjour {name},',
    startsAt: 'Début\u00a0: {date} ({timezone})',
    fallback: 'Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur\u00a0:',
  },
  import_finished: {
    completedSubject: 'Invitation en lot terminée\u00a0: {event}',
    cancelledSubject: 'Invitation en lot annulée\u00a0: {event}',
    failedSubject: "Échec de l'invitation en lot\u00a0: {event}",
    preview: 'Invitation en lot pour {event} — personnes invitées\u00a0: {invited}, échecs\u00a0: {failed}.',
    completedBody: "L'invitation en lot pour {event} est terminée. En voici le résumé\u00a0:",
    cancelledBody:
      "L'invitation en lot pour {event} a été annulée avant que toutes les lignes soient traitées. Voici ce qui a été fait\u00a0:",
    failedBody:
      "L'invitation en lot pour {event} s'est arrêtée en raison d'une erreur. Voici ce qui a été fait avant l'arrêt\u00a0:",
    rows: 'Lignes dans le fichier\u00a0: {count}',
    invited: 'Personnes invitées\u00a0: {count}',
    emailed: 'Invitations envoyées par courriel\u00a0: {count}',
    failed: 'Lignes en échec\u00a0: {count}',
    button: "Voir l'importation",
    fallback: 'Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur\u00a0:',
    footer: "Vous recevez ce courriel parce qu'une invitation en lot a été lancée pour {event}.",
  },
  message: {
    invitationButton: "Accepter l'invitation",
    loginButton: 'Se connecter',
    fallback: 'Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur :',
    footer:
      'Vous recevez ce courriel des organisateurs de {event} parce que vous figurez sur la liste des participants.',
  },
};
