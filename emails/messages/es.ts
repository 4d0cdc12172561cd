import type { Messages } from './types';

export const es: Messages = {
  invitation: {
    subject: 'Tu invitación a {event}',
    preview: '{name}, tu invitación a {event} te está esperando.',
    greeting: 'Hola, {name}:',
    body: 'Te invitamos a {event}. Nos encantaría contar contigo.',
    startsAt: 'Inicio: {date} ({timezone})',
    button: 'Aceptar invitación',
    fallback: 'Si el botón no funciona, copia este enlace en tu navegador:',
    footer:
      'Recibes este correo porque un organizador de {event} te ha enviado una invitación. Si no la esperabas, puedes ignorar este mensaje.',
  },
};
