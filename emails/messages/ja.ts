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
  registration_confirmation: {
    confirmSubject: '{event}：メールアドレスの確認のお願い',
    confirmPreview: '{name}様、{event}への登録完了まであと一歩です。',
    confirmBody:
      '{event}にお申し込みいただき、ありがとうございます。登録を完了するには、メールアドレスを確認してください。',
    confirmButton: 'メールアドレスを確認する',
    confirmFooter:
      'このメールは、{event}への登録にこのメールアドレスが使用されたためお送りしています。お心当たりのない場合は、このメールを破棄してください。',
    registeredSubject: '{event}への登録が完了しました',
    registeredPreview: '{name}様、{event}への登録が完了しました。',
    registeredBody: '{event}への登録が完了しました。お会いできるのを楽しみにしております。',
    registeredButton: 'イベントページへ',
    registeredFooter: 'このメールは、{event}にご登録いただいたためお送りしています。',
    greeting: '{name}様',
    startsAt: '開始日時：{date}（{timezone}）',
    fallback: 'ボタンが機能しない場合は、次のリンクをコピーしてブラウザに貼り付けてください：',
  },
  login_link: {
    subject: '{event}のログインリンク',
    preview: '{name}様、{event}にログインするためのリンクをお送りします。',
    greeting: '{name}様',
    body: '下のボタンから{event}にログインしてください。',
    validity: 'このリンクの有効期間は{duration}で、一度だけ使用できます。他の人と共有しないでください。',
    button: 'ログイン',
    fallback: 'ボタンが機能しない場合は、次のリンクをコピーしてブラウザに貼り付けてください：',
    footer:
      'このメールは、このメールアドレスで{event}のログインリンクがリクエストされたためお送りしています。お心当たりのない場合は、このメールを破棄してください。',
  },
  reminder: {
    registerSubject: 'リマインダー：{event}への登録をお忘れなく',
    registerPreview: '{name}様、{event}への登録がまだ完了していません。',
    registerBody:
      '{event}にご招待していますが、まだご登録いただいていません。参加を逃さないよう、今すぐご登録ください。',
    registerButton: '今すぐ登録する',
    registerFooter: 'このリマインダーは、{event}の主催者があなたを招待したためお送りしています。',
    joinSubject: 'まもなく{event}が始まります',
    joinPreview: '{name}様、{event}がまもなく始まります。',
    joinBody: '{event}がまもなく始まります。ご参加をお待ちしております。',
    joinButton: 'イベントに参加する',
    joinFooter: 'このリマインダーは、{event}にご登録いただいたためお送りしています。',
    greeting: '{name}様',
    startsAt: '開始日時：{date}（{timezone}）',
    fallback: 'ボタンが機能しない場合は、次のリンクをコピーしてブラウザに貼り付けてください：',
  },
  import_finished: {
    completedSubject: '一括招待が完了しました：{event}',
    cancelledSubject: '一括招待がキャンセルされました：{event}',
    failedSubject: '一括招待に失敗しました：{event}',
    preview: '{event}の一括招待：招待 {invited}、失敗 {failed}',
    completedBody: '{event}の一括招待が完了しました。概要は次のとおりです。',
    cancelledBody:
      '{event}の一括招待は、すべての行を処理する前にキャンセルされました。それまでの処理結果は次のとおりです。',
    failedBody: '{event}の一括招待はエラーのため停止しました。停止までの処理結果は次のとおりです。',
    rows: 'ファイルの行数：{count}',
    invited: '招待した人数：{count}',
    emailed: '送信した招待メール：{count}',
    failed: '失敗した行数：{count}',
    button: 'インポートを表示',
    fallback: 'ボタンが機能しない場合は、次のリンクをコピーしてブラウザに貼り付けてください：',
    footer: 'このメールは、{event}の一括招待が開始されたためお送りしています。',
  },
  message: {
    invitationButton: '招待を承諾する',
    loginButton: 'ログイン',
    fallback: 'ボタンが機能しない場合は、次のリンクをコピーしてブラウザに貼り付けてください：',
    footer: 'このメッセージは、{event}の参加者リストに登録されている方へ主催者からお送りしています。',
  },
};
