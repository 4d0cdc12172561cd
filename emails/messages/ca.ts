import type { Messages } from './types';

export const ca: Messages = {
  invitation: {
    subject: 'La teva invitació a {event}',
    preview: "{name}, t'espera la teva invitació a {event}.",
    greeting: 'Hola, {name}:',
    body: "Et convidem a {event}. Ens encantaria veure-t'hi!",
    startsAt: 'Inici: {date} ({timezone})',
    button: 'Accepta la invitació',
    fallback: 'Si el botó no funciona, copia aquest enllaç al navegador:',
    footer:
      "Has rebut aquest correu perquè un organitzador de {event} t'ha enviat una invitació. Si no l'esperaves, pots ignorar aquest missatge.",
  },
};
