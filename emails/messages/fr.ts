import type { Messages } from './types';

// French typography: a no-break space before ":".
export const fr: Messages = {
  invitation: {
    subject: 'Votre invitation à {event}',
    preview: '{name}, votre invitation à {event} vous attend.',
    greeting: 'Bonjour {name},',
    body: 'Nous avons le plaisir de vous inviter à {event}. Nous espérons vous y voir.',
    startsAt: 'Début\u00a0: {date} ({timezone})',
    button: "Accepter l'invitation",
    fallback: 'Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur\u00a0:',
    footer:
      "Vous recevez cet e-mail parce qu'un organisateur de {event} vous a envoyé une invitation. Si vous ne l'attendiez pas, vous pouvez ignorer ce message.",
  },
};
