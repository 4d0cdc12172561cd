import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acceptedEarlier, attemptMetadata } from '../../activities/email-ledger';
import {
  createOutboxTransport,
  createPostmarkTransport,
  type EmailAttachment,
  type OutgoingEmail,
} from '../../activities/email-transport';
import { type PostmarkFake, startPostmarkFake } from '../support/postmark-fake';

const message = (to: string, metadata: Record<string, string>): OutgoingEmail => ({
  from: 'events@roster.test',
  to,
  subject: 'Invited',
  html: '<p>Hi</p>',
  text: 'Hi',
  tag: 'invitation',
  metadata,
});

// A call whose answer never comes: the transport times out, and the retry asks Postmark first.
describe('the Postmark transport after a timeout', () => {
  let fake: PostmarkFake;
  beforeAll(async () => {
    fake = await startPostmarkFake();
  });
  beforeEach(() => fake.reset());
  afterAll(() => fake.close());

  it('finds what a timed-out batch got through, by the attempt stamped in its metadata', async () => {
    const transport = createPostmarkTransport(fake.serverToken, fake.url, 1);
    fake.failNext(1, { status: 'timeout_after_accept' });
    const batch = ['l1', 'l2', 'l3'].map((id, i) =>
      message(`p${i}@example.com`, attemptMetadata('attempt-1', id)),
    );
    await expect(transport.sendBatch(batch)).rejects.toThrow();
    expect(fake.messages).toHaveLength(3);

    const accepted = await acceptedEarlier(transport, [
      { id: 'l1', send_attempt: 'attempt-1' },
      { id: 'l3', send_attempt: 'attempt-1' },
      { id: 'l9', send_attempt: null },
    ]);
    expect([...accepted.keys()].sort()).toEqual(['l1', 'l3']);
    expect(accepted.get('l1')).toBe(
      fake.messages.find((m) => m.Metadata?.rosterLedgerId === 'l1')?.MessageID,
    );
    // Rows never stamped cost no lookup.
    expect(fake.requests['/messages/outbound']).toBe(1);
  });

  it('finds nothing for a call Postmark refused, so the rows are sent again', async () => {
    const transport = createPostmarkTransport(fake.serverToken, fake.url, 1);
    fake.failNext(1, { status: 500 });
    await expect(
      transport.sendBatch([message('a@example.com', attemptMetadata('attempt-2', 'l1'))]),
    ).rejects.toThrow();
    const accepted = await acceptedEarlier(transport, [{ id: 'l1', send_attempt: 'attempt-2' }]);
    expect(accepted.size).toBe(0);
  });
});

const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';
const calendar: EmailAttachment = {
  name: 'event.ics',
  content: Buffer.from(ICS).toString('base64'),
  contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
};

describe('attachments', () => {
  let fake: PostmarkFake;
  beforeAll(async () => {
    fake = await startPostmarkFake();
  });
  beforeEach(() => fake.reset());
  afterAll(() => fake.close());

  it('go to Postmark as Attachments with Name, base64 Content and ContentType, single and batch', async () => {
    const transport = createPostmarkTransport(fake.serverToken, fake.url, 5);
    await transport.send({ ...message('a@example.com', {}), attachments: [calendar] });
    await transport.sendBatch([
      { ...message('b@example.com', {}), attachments: [calendar] },
      message('c@example.com', {}),
    ]);
    expect(fake.messages.map((m) => m.Attachments)).toEqual([
      [{ Name: 'event.ics', Content: calendar.content, ContentType: calendar.contentType }],
      [{ Name: 'event.ics', Content: calendar.content, ContentType: calendar.contentType }],
      [],
    ]);
  });

  it('land in the local outbox beside the message, listed in its envelope', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'roster-outbox-'));
    try {
      await createOutboxTransport(dir).send({
        ...message('a@example.com', { kind: 'invitation' }),
        attachments: [calendar],
      });
      const files = await readdir(dir);
      const ics = files.find((f) => f.endsWith('-event.ics')) as string;
      expect(await readFile(path.join(dir, ics), 'utf8')).toBe(ICS);
      const envelope = JSON.parse(
        await readFile(path.join(dir, files.find((f) => f.endsWith('.json')) as string), 'utf8'),
      );
      expect(envelope.attachments).toEqual([{ name: 'event.ics', contentType: calendar.contentType }]);
      expect(JSON.stringify(envelope)).not.toContain(calendar.content);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
