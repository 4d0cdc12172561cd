import type { Messages } from './types';

export const zhHant: Messages = {
  invitation: {
    subject: '誠摯邀請您參加{event}',
    preview: '{name}，您收到了{event}的邀請。',
    greeting: '{name}，您好：',
    body: '誠摯邀請您參加{event}，期待您的蒞臨。',
    startsAt: '開始時間：{date}（{timezone}）',
    button: '接受邀請',
    fallback: '如果按鈕無法使用，請將以下連結複製到瀏覽器中開啟：',
    footer:
      '您收到這封電子郵件，是因為{event}的主辦單位邀請了您。如果您並未預期收到此邀請，可以忽略這封郵件。',
  },
};
