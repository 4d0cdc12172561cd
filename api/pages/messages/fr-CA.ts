import type { PageMessages } from './types';

export const frCA: PageMessages = {
  invitedTitle: 'Vous êtes invité(e) à {event}',
  sessions: 'Séances',
  firstName: 'Prénom',
  lastName: 'Nom',
  company: 'Entreprise (facultatif)',
  jobTitle: 'Poste (facultatif)',
  email: 'Adresse courriel',
  checkEmailTitle: 'Consultez vos courriels',
  checkEmailBody:
    'Nous vous avons envoyé un courriel. Ouvrez le lien qu’il contient pour confirmer votre adresse et terminer votre inscription à {event}.',
  confirmTitle: 'Confirmez votre adresse courriel',
  loginTitle: 'Connexion à {event}',
  loginBody: 'Entrez votre adresse courriel et nous vous enverrons un lien de connexion.',
  sendLink: 'Envoyer le lien',
  linkSentBody:
    'Si cette adresse est inscrite à {event}, un lien de connexion s’en vient. Il ne fonctionne qu’une fois et pour une durée limitée.',
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
  awaitingConfirmation: 'Veuillez confirmer votre adresse courriel avec le lien que nous vous avons envoyé.',
  addToCalendar: 'Ajouter au calendrier',
  unregister: 'Se désinscrire',
  unregisterTitle: 'Se désinscrire de {event}?',
  unregisterBody: 'Vous ne serez plus inscrit(e) à {event} et ne pourrez pas vous réinscrire sur cette page.',
  unregisterConfirm: 'Oui, me désinscrire',
  back: 'Retour',
  logout: 'Se déconnecter',
  unregisteredTitle: 'Vous êtes désinscrit(e)',
  unregisteredBody:
    'Vous n’êtes plus inscrit(e) à {event}. Communiquez avec l’équipe organisatrice si vous souhaitez participer de nouveau.',
  expiredTitle: 'Ce lien est expiré ou a déjà été utilisé',
  expiredBody:
    'Les liens de nos courriels ne fonctionnent qu’une fois et pour une durée limitée. Entrez votre adresse courriel pour en recevoir un nouveau.',
  blockedTitle: 'Vous ne pouvez pas participer à cet événement',
  blockedBody:
    'L’équipe organisatrice de {event} a fermé votre accès. Communiquez avec elle si vous croyez qu’il s’agit d’une erreur.',
  closedTitle: 'Cet événement est fermé',
  closedBody:
    '{event} est réservé aux membres de certains groupes. Communiquez avec l’équipe organisatrice si vous croyez devoir y avoir accès.',
  ssoTitle: 'Connectez-vous avec le compte de votre organisation',
  ssoBody:
    '{event} utilise l’authentification unique. Continuez vers la page de connexion de votre organisation.',
  ssoButton: 'Continuer vers la connexion',
  notFoundTitle: 'Page introuvable',
  notFoundBody: 'Cette page n’existe pas ou n’est plus disponible.',
  formExpiredTitle: 'Le formulaire est expiré',
  formExpiredBody: 'Pour votre sécurité, revenez en arrière, rechargez la page et réessayez.',
  tooManyTitle: 'Trop de tentatives',
  tooManyBody: 'Veuillez attendre une minute, puis réessayer.',
  errorTitle: 'Une erreur s’est produite',
  errorBody: 'Veuillez réessayer dans un instant.',
  unsubscribeTitle: 'Se désabonner de ces courriels?',
  unsubscribeBody:
    '{email} ne recevra plus de courriels des organisateurs de {event}, ni pour cet événement ni pour leurs autres événements.',
  unsubscribeConfirm: 'Se désabonner',
  unsubscribedTitle: 'Votre désabonnement est confirmé',
  unsubscribedBody:
    '{email} ne recevra plus de courriels des organisateurs de {event}. S’il s’agit d’une erreur, veuillez les contacter.',
};
