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
  registration_confirmation: {
    confirmSubject: 'Confirma tu correo electrónico para {event}',
    confirmPreview: '{name}, solo falta un paso para completar tu inscripción en {event}.',
    confirmBody:
      'Gracias por inscribirte en {event}. Confirma tu dirección de correo electrónico para completar la inscripción.',
    confirmButton: 'Confirmar correo',
    confirmFooter:
      'Recibes este correo porque se usó esta dirección para inscribirse en {event}. Si no fuiste tú, puedes ignorar este mensaje.',
    registeredSubject: 'Tu inscripción en {event} está confirmada',
    registeredPreview: '{name}, tu inscripción en {event} se ha completado.',
    registeredBody: 'Tu inscripción en {event} está confirmada. ¡Nos vemos allí!',
    registeredButton: 'Ir al evento',
    registeredFooter: 'Recibes este correo porque te inscribiste en {event}.',
    greeting: 'Hola, {name}:',
    startsAt: 'Inicio: {date} ({timezone})',
    fallback: 'Si el botón no funciona, copia este enlace en tu navegador:',
  },
  login_link: {
    subject: 'Tu enlace de acceso a {event}',
    preview: '{name}, aquí tienes tu enlace para acceder a {event}.',
    greeting: 'Hola, {name}:',
    body: 'Usa el botón de abajo para iniciar sesión en {event}.',
    validity:
      'El enlace es válido durante {duration} y solo se puede usar una vez. No lo compartas con nadie.',
    button: 'Iniciar sesión',
    fallback: 'Si el botón no funciona, copia este enlace en tu navegador:',
    footer:
      'Recibes este correo porque se solicitó un enlace de acceso a {event} para esta dirección. Si no lo pediste, puedes ignorar este mensaje.',
  },
  reminder: {
    registerSubject: 'Recordatorio: inscríbete en {event}',
    registerPreview: '{name}, todavía no te has inscrito en {event}.',
    registerBody:
      'Tienes una invitación para {event}, pero todavía no te has inscrito. Inscríbete ahora para no perdértelo.',
    registerButton: 'Inscribirme ahora',
    registerFooter:
      'Recibes este recordatorio porque un organizador de {event} te ha enviado una invitación.',
    joinSubject: '{event} empieza pronto',
    joinPreview: '{name}, {event} está a punto de empezar.',
    joinBody: '{event} empieza pronto. ¡Te esperamos!',
    joinButton: 'Unirme al evento',
    joinFooter: 'Recibes este recordatorio porque te inscribiste en {event}.',
    greeting: 'Hola, {name}:',
    startsAt: 'Inicio: {date} ({timezone})',
    fallback: 'Si el botón no funciona, copia este enlace en tu navegador:',
  },
  import_finished: {
    completedSubject: 'Invitación masiva finalizada: {event}',
    cancelledSubject: 'Invitación masiva cancelada: {event}',
    failedSubject: 'Error en la invitación masiva: {event}',
    preview: 'Invitación masiva para {event}. Personas invitadas: {invited}; filas con errores: {failed}.',
    completedBody: 'La invitación masiva para {event} ha finalizado. Este es el resumen:',
    cancelledBody:
      'La invitación masiva para {event} se canceló antes de procesar todas las filas. Esto es lo que se llegó a hacer:',
    failedBody:
      'La invitación masiva para {event} se detuvo por un error. Esto es lo que se hizo antes de que se detuviera:',
    rows: 'Filas en el archivo: {count}',
    invited: 'Personas invitadas: {count}',
    emailed: 'Invitaciones enviadas por correo: {count}',
    failed: 'Filas con errores: {count}',
    button: 'Ver la importación',
    fallback: 'Si el botón no funciona, copia este enlace en tu navegador:',
    footer: 'Recibes este correo porque se inició una invitación masiva para {event}.',
  },
  message: {
    invitationButton: 'Aceptar invitación',
    loginButton: 'Iniciar sesión',
    fallback: 'Si el botón no funciona, copia este enlace en tu navegador:',
    footer: 'Recibes este mensaje de los organizadores de {event} porque estás en su lista de asistentes.',
  },
};
