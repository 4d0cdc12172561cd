import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acceptedEarlier, attemptMetadata } from '../../activities/email-ledger';
import { createPostmarkTransport, type OutgoingEmail } from '../../activities/email-transport';
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
