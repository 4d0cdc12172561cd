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
};
