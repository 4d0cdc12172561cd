import type { Messages } from './types';

export const ko: Messages = {
  invitation: {
    subject: '{event}에 초대합니다',
    preview: '{name}님, {event} 초대장이 도착했습니다.',
    greeting: '{name}님, 안녕하세요.',
    body: '{event}에 초대합니다. 함께해 주시면 감사하겠습니다.',
    startsAt: '시작 일시: {date} ({timezone})',
    button: '초대 수락하기',
    fallback: '버튼이 작동하지 않으면 이 링크를 복사하여 브라우저에 붙여 넣으세요.',
    footer:
      '{event} 주최 측의 초대로 이 이메일을 받으셨습니다. 초대를 예상하지 못하셨다면 이 이메일을 무시하셔도 됩니다.',
  },
};
