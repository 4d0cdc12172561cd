import type { Messages } from './types';

// "мероприятие «{event}»" keeps the event name in the nominative, whatever it is.
export const ru: Messages = {
  invitation: {
    subject: 'Приглашение на мероприятие «{event}»',
    preview: '{name}, вас ждёт приглашение на мероприятие «{event}».',
    greeting: 'Здравствуйте, {name}!',
    body: 'Приглашаем вас на мероприятие «{event}». Будем рады вас видеть.',
    startsAt: 'Начало: {date} ({timezone})',
    button: 'Принять приглашение',
    fallback: 'Если кнопка не работает, скопируйте эту ссылку в адресную строку браузера:',
    footer:
      'Вы получили это письмо, потому что организатор мероприятия «{event}» отправил вам приглашение. Если вы его не ждали, просто проигнорируйте это письмо.',
  },
};
