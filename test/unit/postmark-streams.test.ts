/**
 * Message streams and headers, as Roster's Postmark transport sends them and the fake takes them:
 * the stream and List-Unsubscribe headers reach Postmark, an unknown or inbound stream is refused
 * as Postmark refuses it, and the message search looks at one stream at a time.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createPostmarkTransport,
  EmailRejectedError,
  type EmailTransport,
  type OutgoingEmail,
} from '../../activities/email-transport';
import { listUnsubscribeHeaders } from '../../domain/list-unsubscribe';
import { PostmarkErrors, type PostmarkFake, startPostmarkFake } from '../support/postmark-fake';

describe('Postmark message streams and headers', () => {
  let fake: PostmarkFake;
  let transport: EmailTransport;
  const mail = (to: string, extra: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
    from: 'events@roster.test',
    to,
    subject: 'You are invited',
    html: '<p>Welcome</p>',
    text: 'Welcome',
    tag: 'invitation',
    metadata: { rosterAttempt: 'attempt-1' },
    ...extra,
  });

  beforeAll(async () => {
    fake = await startPostmarkFake({
      messageStreams: { outbound: 'Transactional', news: 'Broadcasts', inbound: 'Inbound' },
    });
    transport = createPostmarkTransport(fake.serverToken, fake.url, 5);
  });
  beforeEach(() => fake.reset());
  afterAll(() => fake.close());

  it('sends on the transactional stream without headers unless told otherwise', async () => {
    await transport.send(mail('ada@example.com'));
    expect(fake.messages[0]).toMatchObject({ MessageStream: 'outbound', Headers: [] });
  });

  it('sends a batch on the broadcast stream with List-Unsubscribe and one-click headers', async () => {
    const headers = listUnsubscribeHeaders('https://roster.example/events/e1/unsubscribe?token=k1.abc');
    const results = await transport.sendBatch([
      mail('ada@example.com', { stream: 'news', headers }),
      mail('bob@example.com', { stream: 'news', headers }),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fake.messages.map((m) => m.MessageStream)).toEqual(['news', 'news']);
    expect(fake.messages[0]?.Headers).toEqual([
      { Name: 'List-Unsubscribe', Value: '<https://roster.example/events/e1/unsubscribe?token=k1.abc>' },
      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
    ]);
  });

  it('refuses an unknown stream and an inbound stream as Postmark does, taking nothing', async () => {
    const single = await transport.send(mail('ada@example.com', { stream: 'newsletter' })).catch((e) => e);
    // Not a recipient's fault: thrown as a failed call (retried), not as a final refusal.
    expect(single).not.toBeInstanceOf(EmailRejectedError);
    expect(single).toMatchObject({ statusCode: 422, code: PostmarkErrors.unknownStream.ErrorCode });
    const batch = await transport.sendBatch([
      mail('ada@example.com', { stream: 'newsletter' }),
      mail('bob@example.com', { stream: 'inbound' }),
      mail('cy@example.com', { stream: 'news' }),
    ]);
    expect(batch).toEqual([
      { ok: false, code: 1235, message: PostmarkErrors.unknownStream.Message, final: false },
      { ok: false, code: 1236, message: PostmarkErrors.inboundStream.Message, final: false },
      { ok: true, messageId: expect.any(String) },
    ]);
    expect(fake.messages.map((m) => m.To)).toEqual(['cy@example.com']);
  });

  it('refuses headers that are not a list of names and values', async () => {
    const res = await fetch(`${fake.url}/email`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-postmark-server-token': fake.serverToken,
      },
      body: JSON.stringify({
        From: 'events@roster.test',
        To: 'ada@example.com',
        TextBody: 'Hi',
        Headers: { 'List-Unsubscribe': '<https://x.example>' },
      }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual(PostmarkErrors.invalidHeaders);
  });

  it('finds what a call sent on the stream it went out on, and only there', async () => {
    await transport.sendBatch([mail('ada@example.com', { stream: 'news' })]);
    await transport.send(mail('bob@example.com'));
    const onNews = await transport.findSent('rosterAttempt', 'attempt-1', 'news');
    const onOutbound = await transport.findSent('rosterAttempt', 'attempt-1');
    expect(onNews.map((m) => m.messageId)).toEqual([fake.messages[0]?.MessageID]);
    expect(onOutbound.map((m) => m.messageId)).toEqual([fake.messages[1]?.MessageID]);
  });
});
