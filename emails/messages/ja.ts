import type { Messages } from './types';

export const ja: Messages = {
  invitation: {
    subject: '{event}へのご招待',
    preview: '{name}様、{event}への招待状が届いています。',
    greeting: '{name}様',
    body: '{event}にご招待いたします。ぜひご参加ください。',
    startsAt: '開始日時：{date}（{timezone}）',
    button: '招待を承諾する',
    fallback: 'ボタンが機能しない場合は、次のリンクをコピーしてブラウザに貼り付けてください：',
    footer:
      'このメールは、{event}の主催者があなたを招待したためお送りしています。お心当たりのない場合は、このメールを破棄してください。',
  },
};
