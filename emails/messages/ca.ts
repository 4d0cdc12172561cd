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
  registration_confirmation: {
    confirmSubject: 'Confirma la teva adreça electrònica per a {event}',
    confirmPreview: '{name}, només et falta un pas per completar la inscripció a {event}.',
    confirmBody:
      "Gràcies per inscriure't a {event}. Confirma la teva adreça electrònica per completar la inscripció.",
    confirmButton: 'Confirma el correu',
    confirmFooter:
      "Has rebut aquest correu perquè s'ha fet servir aquesta adreça per inscriure's a {event}. Si no has estat tu, pots ignorar aquest missatge.",
    registeredSubject: "La teva inscripció a {event} s'ha confirmat",
    registeredPreview: "{name}, s'ha completat la teva inscripció a {event}.",
    registeredBody: 'La teva inscripció a {event} està confirmada. Ens hi veiem!',
    registeredButton: "Ves a l'esdeveniment",
    registeredFooter: "Has rebut aquest correu perquè t'has inscrit a {event}.",
    greeting: 'Hola, {name}:',
    startsAt: 'Inici: {date} ({timezone})',
    fallback: 'Si el botó no funciona, copia aquest enllaç al navegador:',
  },
  login_link: {
    subject: "El teu enllaç d'accés a {event}",
    preview: "{name}, aquí tens l'enllaç per accedir a {event}.",
    greeting: 'Hola, {name}:',
    body: 'Fes servir el botó de sota per iniciar la sessió a {event}.',
    validity:
      "L'enllaç és vàlid durant {duration} i només es pot fer servir una vegada. No el comparteixis amb ningú.",
    button: 'Inicia la sessió',
    fallback: 'Si el botó no funciona, copia aquest enllaç al navegador:',
    footer:
      "Has rebut aquest correu perquè s'ha sol·licitat un enllaç d'accés a {event} per a aquesta adreça. Si no l'has demanat tu, pots ignorar aquest missatge.",
  },
  reminder: {
    registerSubject: 'Recordatori: inscriu-te a {event}',
    registerPreview: "{name}, encara no t'has inscrit a {event}.",
    registerBody:
      "Tens una invitació per a {event}, però encara no t'has inscrit. Inscriu-te ara per no perdre-t'ho.",
    registerButton: 'Inscriu-te ara',
    registerFooter:
      "Has rebut aquest recordatori perquè un organitzador de {event} t'ha enviat una invitació.",
    joinSubject: '{event} comença aviat',
    joinPreview: '{name}, {event} està a punt de començar.',
    joinBody: "{event} comença aviat. T'hi esperem!",
    joinButton: "Uneix-te a l'esdeveniment",
    joinFooter: "Has rebut aquest recordatori perquè t'has inscrit a {event}.",
    greeting: 'Hola, {name}:',
    startsAt: 'Inici: {date} ({timezone})',
    fallback: 'Si el botó no funciona, copia aquest enllaç al navegador:',
  },
  import_finished: {
    completedSubject: 'Invitació massiva finalitzada: {event}',
    cancelledSubject: 'Invitació massiva cancel·lada: {event}',
    failedSubject: 'Error en la invitació massiva: {event}',
    preview: 'Invitació massiva per a {event}. Persones convidades: {invited}; files amb errors: {failed}.',
    completedBody: 'La invitació massiva per a {event} ha finalitzat. Aquest és el resum:',
    cancelledBody:
      "La invitació massiva per a {event} s'ha cancel·lat abans de processar totes les files. Això és el que s'ha fet:",
    failedBody:
      "La invitació massiva per a {event} s'ha aturat per un error. Això és el que s'ha fet abans que s'aturés:",
    rows: 'Files al fitxer: {count}',
    invited: 'Persones convidades: {count}',
    emailed: 'Invitacions enviades per correu: {count}',
    failed: 'Files amb errors: {count}',
    button: 'Mostra la importació',
    fallback: 'Si el botó no funciona, copia aquest enllaç al navegador:',
    footer: "Has rebut aquest correu perquè s'ha iniciat una invitació massiva per a {event}.",
  },
  message: {
    invitationButton: 'Accepta la invitació',
    loginButton: 'Inicia la sessió',
    fallback: 'Si el botó no funciona, copia aquest enllaç al navegador:',
    footer: "Has rebut aquest missatge dels organitzadors de {event} perquè ets a la llista d'assistents.",
  },
};
