import type { Messages } from './types';

export const sv: Messages = {
  invitation: {
    subject: 'Du är inbjuden till {event}',
    preview: '{name}, din inbjudan till {event} väntar.',
    greeting: 'Hej {name}!',
    body: 'Du är inbjuden till {event}. Vi hoppas att vi ses där!',
    startsAt: 'Starttid: {date} ({timezone})',
    button: 'Tacka ja till inbjudan',
    fallback: 'Om knappen inte fungerar kan du kopiera den här länken till din webbläsare:',
    footer:
      'Du får det här mejlet eftersom en arrangör av {event} har bjudit in dig. Om du inte väntade dig en inbjudan kan du bortse från mejlet.',
  },
};
