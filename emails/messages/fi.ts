import type { Messages } from './types';

// "tapahtumaan {event}" spares the event name from Finnish case endings.
export const fi: Messages = {
  invitation: {
    subject: 'Sinut on kutsuttu tapahtumaan {event}',
    preview: '{name}, kutsusi tapahtumaan {event} odottaa.',
    greeting: 'Hei {name}!',
    body: 'Sinut on kutsuttu tapahtumaan {event}. Toivottavasti nähdään siellä!',
    startsAt: 'Alkaa: {date} ({timezone})',
    button: 'Hyväksy kutsu',
    fallback: 'Jos painike ei toimi, kopioi tämä linkki selaimeesi:',
    footer:
      'Sait tämän viestin, koska tapahtuman {event} järjestäjä kutsui sinut. Jos et odottanut kutsua, voit jättää tämän viestin huomiotta.',
  },
};
