import { Errors, type Message, ServerClient } from 'postmark';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PostmarkErrors, type PostmarkFake, startPostmarkFake } from '../support/postmark-fake';

const mail = (to: string, extra: Partial<Message> = {}): Message => ({
  From: 'events@roster.test',
  To: to,
  Subject: 'You are invited',
  HtmlBody: '<p>Welcome</p>',
  TextBody: 'Welcome',
  ...extra,
});

// The official client, pointed at the fake: what it throws is what the app will see from Postmark.
describe('postmark fake, through the official client', () => {
  let fake: PostmarkFake;
  let client: ServerClient;
  // The rejection itself, so class and fields can both be asserted.
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => expect.unreachable('expected a rejection'),
      (e: unknown) => e,
    );

  beforeAll(async () => {
    fake = await startPostmarkFake();
    client = new ServerClient(fake.serverToken, { useHttps: false, requestHost: fake.host, timeout: 5 });
  });
  beforeEach(() => fake.reset());
  afterAll(() => fake.close());

  it('sends one email and records it with its Metadata', async () => {
    const metadata = { attendeeId: 'a1', eventId: 'e1', kind: 'invitation' };
    const res = await client.sendEmail(mail('ada@example.com', { Tag: 'invitation', Metadata: metadata }));

    expect(res).toMatchObject({ To: 'ada@example.com', ErrorCode: 0, Message: 'OK' });
    expect(res.MessageID).toMatch(/^[0-9a-f-]{36}$/);
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({
      MessageID: res.MessageID,
      To: 'ada@example.com',
      From: 'events@roster.test',
      Tag: 'invitation',
      Metadata: metadata,
      MessageStream: 'outbound',
    });
    expect(fake.requests['/email']).toBe(1);
  });

  it('answers a batch per message: inactive recipients fail alone', async () => {
    fake.setRecipientError('Bounced@Example.com', 406);
    const res = await client.sendEmailBatch([
      mail('ok1@example.com'),
      mail('bounced@example.com'),
      mail('ok2@example.com'),
    ]);

    expect(res.map((r) => r.ErrorCode)).toEqual([0, 406, 0]);
    expect(res[1]?.Message).toContain('marked as inactive');
    expect(fake.messages.map((m) => m.To)).toEqual(['ok1@example.com', 'ok2@example.com']);
  });

  it('refuses a single send to an inactive recipient with 422 / 406', async () => {
    fake.setRecipientError('bounced@example.com', 406);
    const error = await failure(client.sendEmail(mail('bounced@example.com')));

    expect(error).toBeInstanceOf(Errors.InactiveRecipientsError);
    expect(error).toMatchObject({ statusCode: 422, code: 406, recipients: ['bounced@example.com'] });
    expect(fake.messages).toHaveLength(0);
  });

  it('refuses a wrong or missing token with 401', async () => {
    const wrong = new ServerClient('not-the-token', { useHttps: false, requestHost: fake.host });
    const error = await failure(wrong.sendEmail(mail('ada@example.com')));
    expect(error).toBeInstanceOf(Errors.InvalidAPIKeyError);
    expect(error).toMatchObject({
      statusCode: 401,
      code: 10,
      message: PostmarkErrors.invalidToken.Message,
    });

    const raw = await fetch(`${fake.url}/email`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(mail('ada@example.com')),
    });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual(PostmarkErrors.missingToken);
    expect(fake.messages).toHaveLength(0);
  });

  it('maps injected 429, 500 and 503 to the client error classes, then recovers', async () => {
    fake.failNext(1, { status: 429 });
    fake.failNext(1, { status: 500 });
    fake.failNext(1, { status: 503 });

    const limited = await failure(client.sendEmail(mail('ada@example.com')));
    expect(limited).toBeInstanceOf(Errors.RateLimitExceededError);
    expect(limited).toMatchObject({ statusCode: 429, code: 429 });
    await expect(client.sendEmail(mail('ada@example.com'))).rejects.toBeInstanceOf(
      Errors.InternalServerError,
    );
    await expect(client.sendEmail(mail('ada@example.com'))).rejects.toBeInstanceOf(
      Errors.ServiceUnavailablerError,
    );
    await expect(client.sendEmail(mail('ada@example.com'))).resolves.toMatchObject({ ErrorCode: 0 });
    expect(fake.requests['/email']).toBe(4);
    expect(fake.messages).toHaveLength(1);
  });

  it('answers 503 to every call during an outage', async () => {
    fake.setOutage(60_000);
    await expect(client.sendEmailBatch([mail('ada@example.com')])).rejects.toBeInstanceOf(
      Errors.ServiceUnavailablerError,
    );
    fake.setOutage(0);
    await expect(client.sendEmailBatch([mail('ada@example.com')])).resolves.toHaveLength(1);
  });

  it('records a message whose answer never arrives, so a retry duplicates it', async () => {
    const impatient = new ServerClient(fake.serverToken, {
      useHttps: false,
      requestHost: fake.host,
      timeout: 0.3,
    });
    fake.failNext(1, { status: 'timeout_after_accept' });

    await expect(impatient.sendEmail(mail('ada@example.com'))).rejects.toBeInstanceOf(Errors.PostmarkError);
    await impatient.sendEmail(mail('ada@example.com'));
    expect(fake.messages.map((m) => m.To)).toEqual(['ada@example.com', 'ada@example.com']);
  });

  it('refuses a batch of more than 500 messages with 422 / 410', async () => {
    const batch = Array.from({ length: 501 }, (_, i) => mail(`p${i}@example.com`));
    const error = await failure(client.sendEmailBatch(batch));
    expect(error).toBeInstanceOf(Errors.ApiInputError);
    expect(error).toMatchObject({ statusCode: 422, code: 410 });
    expect(fake.messages).toHaveLength(0);
  });

  it('validates messages like Postmark (ErrorCode 300)', async () => {
    const cases: [Partial<Message>, string][] = [
      [{ HtmlBody: undefined, TextBody: undefined }, PostmarkErrors.noBody.Message],
      [{ From: undefined }, "Invalid 'From' address"],
      [{ To: undefined }, PostmarkErrors.zeroRecipients.Message],
      [{ To: 'foo@example' }, "Invalid 'To' address: 'foo@example'."],
      [{ To: Array.from({ length: 51 }, (_, i) => `p${i}@example.com`).join(', ') }, 'Maximum of 50'],
      [{ Metadata: { attempt: 2 as unknown as string } }, "Invalid 'Metadata'"],
    ];
    for (const [override, message] of cases) {
      const error = await failure(client.sendEmail(mail('ada@example.com', override)));
      expect(error).toBeInstanceOf(Errors.InvalidEmailRequestError);
      expect(error).toMatchObject({ statusCode: 422, code: 300, message: expect.stringContaining(message) });
    }
    expect(fake.messages).toHaveLength(0);
  });

  it('keeps attachments as sent, Content still base64, in single and batch sends', async () => {
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';
    const attachment = {
      Name: 'event.ics',
      Content: Buffer.from(ics).toString('base64'),
      ContentType: 'text/calendar; charset=utf-8; method=PUBLISH',
      ContentID: null,
    };
    await client.sendEmail(mail('ada@example.com', { Attachments: [attachment] }));
    await client.sendEmailBatch([
      mail('bob@example.com', { Attachments: [attachment] }),
      mail('cy@example.com'),
    ]);
    expect(fake.messages.map((m) => m.Attachments.map((a) => a.Name))).toEqual([
      ['event.ics'],
      ['event.ics'],
      [],
    ]);
    const kept = fake.messages[0]?.Attachments[0];
    expect(kept?.ContentType).toBe('text/calendar; charset=utf-8; method=PUBLISH');
    expect(Buffer.from(kept?.Content ?? '', 'base64').toString('utf8')).toBe(ics);
  });

  it('refuses malformed attachments like Postmark (ErrorCode 300), one message at a time', async () => {
    const good = { Name: 'a.ics', Content: 'QUJD', ContentType: 'text/calendar', ContentID: null };
    const cases: [unknown, string][] = [
      [[{ ...good, Content: 'not base64!' }], 'not Base64'],
      [[{ ...good, Content: '' }], 'Zero-sized attachments not allowed'],
      [[{ ...good, ContentType: 'a.ics' }], 'content type'],
      [[{ ...good, Name: '' }], 'name is required'],
      [[{ ...good, Name: 'setup.exe' }], 'Forbidden attachment'],
      [{ Name: 'x' }, "Invalid 'Attachments' value"],
      [[{ ...good, Content: 'QUJD'.repeat(3 * 1024 * 1024) }], '10 MB'],
    ];
    for (const [attachments, message] of cases) {
      const error = await failure(
        client.sendEmail(mail('ada@example.com', { Attachments: attachments as Message['Attachments'] })),
      );
      expect(error).toMatchObject({ statusCode: 422, code: 300, message: expect.stringContaining(message) });
    }
    const batch = await client.sendEmailBatch([
      mail('ok@example.com', { Attachments: [good] }),
      mail('bad@example.com', { Attachments: [{ ...good, Content: '%%%' }] }),
    ]);
    expect(batch.map((r) => r.ErrorCode)).toEqual([0, 300]);
    expect(fake.messages.map((m) => m.To)).toEqual(['ok@example.com']);
  });

  it('answers 422 / 402 to invalid JSON and 415 to a non-JSON content type', async () => {
    const post = (body: string, contentType: string) =>
      fetch(`${fake.url}/email`, {
        method: 'POST',
        headers: {
          'X-Postmark-Server-Token': fake.serverToken,
          Accept: 'application/json',
          'Content-Type': contentType,
        },
        body,
      });

    const invalid = await post('{"From": ', 'application/json');
    expect([invalid.status, await invalid.json()]).toEqual([422, PostmarkErrors.invalidJson]);
    const notJson = await post('From=a', 'application/x-www-form-urlencoded');
    expect([notJson.status, await notJson.json()]).toEqual([415, PostmarkErrors.jsonRequired]);
  });

  it('searches sent messages by metadata, newest first, one metadata field at a time', async () => {
    await client.sendEmailBatch([
      mail('a@example.com', { Tag: 'invitation', Metadata: { rosterAttempt: 'one', n: '1' } }),
      mail('b@example.com', { Tag: 'invitation', Metadata: { rosterAttempt: 'one', n: '2' } }),
      mail('c@example.com', { Tag: 'reminder', Metadata: { rosterAttempt: 'two', n: '3' } }),
    ]);
    const found = await client.getOutboundMessages({
      count: 10,
      offset: 0,
      metadata_rosterAttempt: 'one',
    } as never);
    expect(found.TotalCount).toBe(2);
    expect(found.Messages.map((m) => [m.Recipients, m.Metadata.n])).toEqual([
      [['b@example.com'], '2'],
      [['a@example.com'], '1'],
    ]);
    const page = await client.getOutboundMessages({ count: 1, offset: 1, tag: 'invitation' });
    expect(page.Messages.map((m) => m.Metadata.n)).toEqual(['1']);
    const byRecipient = await client.getOutboundMessages({
      count: 500,
      offset: 0,
      recipient: 'C@example.com',
    });
    expect(byRecipient.Messages.map((m) => m.To[0]?.Email)).toEqual(['c@example.com']);

    const error = await failure(
      client.getOutboundMessages({ count: 10, offset: 0, metadata_a: '1', metadata_b: '2' } as never),
    );
    expect(error).toMatchObject({ statusCode: 422 });
    expect(await failure(client.getOutboundMessages({ count: 501, offset: 0 }))).toMatchObject({
      statusCode: 422,
    });
  });

  it('draws faults at the configured rates, the same sequence for the same seed', async () => {
    const run = async (seed: number) => {
      fake.reset();
      fake.setFaultRates({ 500: 0.1, 429: 0.05 }, seed);
      const outcomes: string[] = [];
      for (let i = 0; i < 400; i++) {
        outcomes.push(
          await client.sendEmail(mail(`p${i}@example.com`)).then(
            () => 'ok',
            (e: { statusCode: number }) => String(e.statusCode),
          ),
        );
      }
      return outcomes;
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    const count = (code: string) => first.filter((o) => o === code).length;
    // 400 draws: 40 ± 20 server errors and 20 ± 15 rate limits, the rest accepted.
    expect(count('500')).toBeGreaterThan(20);
    expect(count('500')).toBeLessThan(60);
    expect(count('429')).toBeGreaterThan(5);
    expect(count('429')).toBeLessThan(35);
    expect(fake.faults).toMatchObject({ '500': count('500'), '429': count('429') });
    expect(fake.messages).toHaveLength(count('ok'));
  });
});

describe('postmark fake keeping envelopes only (the benchmarks)', () => {
  it('keeps each message without its bodies or attachment contents, and still searches it', async () => {
    const fake = await startPostmarkFake({ keep: 'envelope' });
    try {
      const client = new ServerClient(fake.serverToken, {
        useHttps: false,
        requestHost: fake.host,
        timeout: 5,
      });
      const attachment = {
        Name: 'event.ics',
        Content: 'QkVHSU4=',
        ContentType: 'text/calendar',
        ContentID: null,
      };
      const metadata = { attendeeId: 'a1', eventId: 'e1', kind: 'invitation' };
      const [res] = await client.sendEmailBatch([
        mail('ada@example.com', { Tag: 'invitation', Metadata: metadata, Attachments: [attachment] }),
      ]);
      expect(res?.ErrorCode).toBe(0);
      expect(fake.messages).toHaveLength(1);
      const kept = fake.messages[0];
      expect(kept).toMatchObject({
        MessageID: res?.MessageID,
        To: 'ada@example.com',
        Tag: 'invitation',
        Metadata: metadata,
      });
      expect(kept?.HtmlBody).toBeUndefined();
      expect(kept?.TextBody).toBeUndefined();
      expect(kept?.Attachments).toEqual([{ Name: 'event.ics', Content: '', ContentType: 'text/calendar' }]);
      const found = await client.getOutboundMessages({
        count: 10,
        offset: 0,
        metadata_eventId: 'e1',
      } as never);
      expect(found.Messages.map((m) => [m.MessageID, m.Attachments])).toEqual([
        [res?.MessageID, ['event.ics']],
      ]);
    } finally {
      await fake.close();
    }
  });
});
