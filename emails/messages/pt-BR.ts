import type { Messages } from './types';

export const ptBR: Messages = {
  invitation: {
    subject: 'Seu convite para {event}',
    preview: '{name}, seu convite para {event} chegou.',
    greeting: 'Olá, {name}!',
    body: 'Temos o prazer de convidar você para {event}. Esperamos você lá!',
    startsAt: 'Início: {date} ({timezone})',
    button: 'Aceitar convite',
    fallback: 'Se o botão não funcionar, copie e cole este link no seu navegador:',
    footer:
      'Você recebeu este e-mail porque um organizador de {event} enviou um convite para você. Se não esperava este convite, pode ignorar esta mensagem.',
  },
};
