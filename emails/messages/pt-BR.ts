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
  registration_confirmation: {
    confirmSubject: 'Confirme seu e-mail para {event}',
    confirmPreview: '{name}, falta só um passo para concluir sua inscrição em {event}.',
    confirmBody:
      'Obrigado por se inscrever em {event}. Confirme seu endereço de e-mail para concluir a inscrição.',
    confirmButton: 'Confirmar e-mail',
    confirmFooter:
      'Você recebeu este e-mail porque este endereço foi usado para uma inscrição em {event}. Se não foi você, pode ignorar esta mensagem.',
    registeredSubject: 'Sua inscrição em {event} está confirmada',
    registeredPreview: '{name}, sua inscrição em {event} foi concluída.',
    registeredBody: 'Sua inscrição em {event} está confirmada. Esperamos você lá!',
    registeredButton: 'Ir para o evento',
    registeredFooter: 'Você recebeu este e-mail porque se inscreveu em {event}.',
    greeting: 'Olá, {name}!',
    startsAt: 'Início: {date} ({timezone})',
    fallback: 'Se o botão não funcionar, copie e cole este link no seu navegador:',
  },
  login_link: {
    subject: 'Seu link de acesso a {event}',
    preview: '{name}, aqui está seu link para entrar em {event}.',
    greeting: 'Olá, {name}!',
    body: 'Use o botão abaixo para entrar em {event}.',
    validity: 'O link é válido por {duration} e só pode ser usado uma vez. Não o compartilhe com ninguém.',
    button: 'Entrar',
    fallback: 'Se o botão não funcionar, copie e cole este link no seu navegador:',
    footer:
      'Você recebeu este e-mail porque um link de acesso a {event} foi solicitado para este endereço. Se não foi você que pediu, pode ignorar esta mensagem.',
  },
  reminder: {
    registerSubject: 'Lembrete: faça sua inscrição em {event}',
    registerPreview: '{name}, você ainda não se inscreveu em {event}.',
    registerBody:
      'Você recebeu um convite para {event}, mas ainda não fez sua inscrição. Inscreva-se agora para não perder nada.',
    registerButton: 'Inscrever-se agora',
    registerFooter:
      'Você recebeu este lembrete porque um organizador de {event} enviou um convite para você.',
    joinSubject: '{event} começa em breve',
    joinPreview: '{name}, {event} está prestes a começar.',
    joinBody: '{event} começa em breve. Esperamos você lá!',
    joinButton: 'Entrar no evento',
    joinFooter: 'Você recebeu este lembrete porque se inscreveu em {event}.',
    greeting: 'Olá, {name}!',
    startsAt: 'Início: {date} ({timezone})',
    fallback: 'Se o botão não funcionar, copie e cole este link no seu navegador:',
  },
  import_finished: {
    completedSubject: 'Convite em massa concluído: {event}',
    cancelledSubject: 'Convite em massa cancelado: {event}',
    failedSubject: 'Falha no convite em massa: {event}',
    preview: 'Convite em massa para {event}. Pessoas convidadas: {invited}; linhas com falha: {failed}.',
    completedBody: 'O convite em massa para {event} foi concluído. Veja o resumo:',
    cancelledBody:
      'O convite em massa para {event} foi cancelado antes que todas as linhas fossem processadas. Veja o que foi feito:',
    failedBody:
      'O convite em massa para {event} foi interrompido por um erro. Veja o que foi feito antes da interrupção:',
    rows: 'Linhas no arquivo: {count}',
    invited: 'Pessoas convidadas: {count}',
    emailed: 'Convites enviados por e-mail: {count}',
    failed: 'Linhas com falha: {count}',
    button: 'Ver a importação',
    fallback: 'Se o botão não funcionar, copie e cole este link no seu navegador:',
    footer: 'Você recebeu este e-mail porque um convite em massa foi iniciado para {event}.',
  },
  message: {
    invitationButton: 'Aceitar convite',
    loginButton: 'Entrar',
    fallback: 'Se o botão não funcionar, copie e cole este link no seu navegador:',
    footer: 'Você recebeu esta mensagem dos organizadores de {event} porque está na lista de participantes.',
  },
};
