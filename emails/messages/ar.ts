import type { Messages } from './types';

export const ar: Messages = {
  invitation: {
    subject: 'دعوة لحضور {event}',
    preview: '{name}، دعوتك لحضور {event} بانتظارك.',
    greeting: 'مرحبًا {name}،',
    body: 'يسعدنا أن ندعوك لحضور {event}، ونتطلع إلى رؤيتك هناك.',
    startsAt: 'موعد البدء: {date} ({timezone})',
    button: 'قبول الدعوة',
    fallback: 'إذا لم يعمل الزر، فانسخ هذا الرابط والصقه في متصفحك:',
    footer:
      'تلقيت هذه الرسالة لأن أحد منظمي {event} أرسل إليك دعوة. إذا لم تكن تتوقع هذه الدعوة، يمكنك تجاهل هذه الرسالة.',
  },
};
