import type { Messages } from './types';

// Cyrillic; "догађај {event}" keeps the event name out of Serbian case endings.
export const sr: Messages = {
  invitation: {
    subject: 'Позив на догађај {event}',
    preview: '{name}, стигао вам је позив на догађај {event}.',
    greeting: 'Здраво, {name}!',
    body: 'Позивамо вас на догађај {event}. Радујемо се вашем доласку.',
    startsAt: 'Почетак: {date} ({timezone})',
    button: 'Прихватите позив',
    fallback: 'Ако дугме не ради, копирајте овај линк у прегледач:',
    footer:
      'Добили сте ову поруку зато што вам је организатор догађаја {event} послао позив. Ако нисте очекивали позив, слободно занемарите ову поруку.',
  },
};
