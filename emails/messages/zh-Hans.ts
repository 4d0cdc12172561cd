import type { Messages } from './types';

export const zhHans: Messages = {
  invitation: {
    subject: '诚邀您参加{event}',
    preview: '{name}，您收到了{event}的邀请。',
    greeting: '{name}，您好：',
    body: '诚挚邀请您参加{event}，期待您的光临。',
    startsAt: '开始时间：{date}（{timezone}）',
    button: '接受邀请',
    fallback: '如果按钮无法使用，请将以下链接复制到浏览器中打开：',
    footer: '您收到此邮件，是因为{event}的主办方邀请了您。如果您并未期待此邀请，可以忽略此邮件。',
  },
};
