import type { PageMessages } from './types';

export const fr: PageMessages = {
  invitedTitle: 'Vous êtes invité(e) à {event}',
  sessions: 'Sessions',
  firstName: 'Prénom',
  lastName: 'Nom',
  company: 'Entreprise (facultatif)',
  jobTitle: 'Fonction (facultatif)',
  email: 'Adresse e-mail',
  checkEmailTitle: 'Consultez votre messagerie',
  checkEmailBody:
    'Nous vous avons envoyé un e-mail. Ouvrez le lien qu’il contient pour confirmer votre adresse et finaliser votre inscription à {event}.',
  confirmTitle: 'Confirmez votre adresse e-mail',
  loginTitle: 'Connexion à {event}',
  loginBody: 'Saisissez votre adresse e-mail et nous vous enverrons un lien de connexion.',
  sendLink: 'Envoyer le lien',
  linkSentBody:
    'Si cette adresse est inscrite à {event}, un lien de connexion est en route. Il ne fonctionne qu’une fois et pour une durée limitée.',
  loginLandingBody: 'Continuez pour vous connecter à {event}.',
  registerTitle: 'Inscription à {event}',
  myPageTitle: 'Votre inscription à {event}',
  status: 'Statut',
  statuses: {
    invited: 'Invité(e)',
    registered: 'Inscrit(e)',
    attended: 'Présent(e)',
    sso_login: 'Connecté(e)',
    unregistered: 'Désinscrit(e)',
    blocked: 'Bloqué(e)',
  },
  awaitingConfirmation: 'Veuillez confirmer votre adresse e-mail avec le lien que nous vous avons envoyé.',
  addToCalendar: 'Ajouter au calendrier',
  unregister: 'Se désinscrire',
  unregisterTitle: 'Se désinscrire de {event} ?',
  unregisterBody: 'Vous ne serez plus inscrit(e) à {event} et ne pourrez pas vous réinscrire sur cette page.',
  unregisterConfirm: 'Oui, me désinscrire',
  back: 'Retour',
  logout: 'Se déconnecter',
  unregisteredTitle: 'Vous êtes désinscrit(e)',
  unregisteredBody:
    'Vous n’êtes plus inscrit(e) à {event}. Contactez l’équipe organisatrice si vous souhaitez participer à nouveau.',
  expiredTitle: 'Ce lien a expiré ou a déjà été utilisé',
  expiredBody:
    'Les liens de nos e-mails ne fonctionnent qu’une fois et pour une durée limitée. Saisissez votre adresse e-mail pour en recevoir un nouveau.',
  blockedTitle: 'Vous ne pouvez pas participer à cet événement',
  blockedBody:
    'L’équipe organisatrice de {event} a fermé votre accès. Contactez-la si vous pensez qu’il s’agit d’une erreur.',
  closedTitle: 'Cet événement est fermé',
  closedBody:
    '{event} est réservé aux membres de certains groupes. Contactez l’équipe organisatrice si vous pensez devoir y avoir accès.',
  ssoTitle: 'Connectez-vous avec le compte de votre organisation',
  ssoBody:
    '{event} utilise l’authentification unique. Continuez vers la page de connexion de votre organisation.',
  ssoButton: 'Continuer vers la connexion',
  notFoundTitle: 'Page introuvable',
  notFoundBody: 'Cette page n’existe pas ou n’est plus disponible.',
  formExpiredTitle: 'Le formulaire a expiré',
  formExpiredBody: 'Pour votre sécurité, revenez en arrière, rechargez la page et réessayez.',
  tooManyTitle: 'Trop de tentatives',
  tooManyBody: 'Veuillez patienter une minute, puis réessayer.',
  errorTitle: 'Une erreur est survenue',
  errorBody: 'Veuillez réessayer dans un instant.',
  unsubscribeTitle: 'Se désabonner de ces e-mails ?',
  unsubscribeBody:
    '{email} ne recevra plus d’e-mails des organisateurs de {event}, ni pour cet événement ni pour leurs autres événements.',
  unsubscribeConfirm: 'Se désabonner',
  unsubscribedTitle: 'Votre désabonnement est confirmé',
  unsubscribedBody:
    '{email} ne recevra plus d’e-mails des organisateurs de {event}. S’il s’agit d’une erreur, veuillez les contacter.',
};
