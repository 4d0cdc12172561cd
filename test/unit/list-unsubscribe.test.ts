import { describe, expect, it } from 'vitest';
import { newKeyEntry, parseKeyring, secretBox } from '../../config/payload-codec';
import {
  listUnsubscribeHeaders,
  openUnsubscribeToken,
  unsubscribeLinks,
  unsubscribeToken,
} from '../../domain/list-unsubscribe';
import { reasonOfSubscriptionChange } from '../../domain/suppressions';

const attendeeId = '0199a1b2-0000-7000-8000-000000000001';

describe('List-Unsubscribe tokens', () => {
  const box = secretBox(parseKeyring(newKeyEntry('k.1')));

  it('opens to the attendee it was issued for, and is URL-safe', () => {
    const token = unsubscribeToken(box, attendeeId);
    expect(token).toMatch(/^k\.1\.[A-Za-z0-9_-]+$/);
    expect(openUnsubscribeToken(box, token)).toBe(attendeeId);
    // Sealed with a fresh nonce each time: two emails carry different tokens for one person.
    expect(unsubscribeToken(box, attendeeId)).not.toBe(token);
  });

  it('refuses a tampered, truncated, foreign or malformed token', () => {
    const token = unsubscribeToken(box, attendeeId);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(openUnsubscribeToken(box, `${token.slice(0, -1)}${last}`)).toBeNull();
    expect(openUnsubscribeToken(box, token.slice(0, -4))).toBeNull();
    const other = secretBox(parseKeyring(newKeyEntry('k.1')));
    expect(openUnsubscribeToken(other, token)).toBeNull();
    for (const bad of ['', 'k.1', '.abc', 'k.1.a+b/c', 'x'.repeat(400)])
      expect(openUnsubscribeToken(box, bad)).toBeNull();
    // A sealed value of another purpose (a webhook secret) is not an unsubscribe token.
    const sealed = box.seal(attendeeId, 'webhook-endpoint');
    const asToken = `k.1.${Buffer.from(sealed.slice(sealed.indexOf(':') + 1), 'base64').toString('base64url')}`;
    expect(openUnsubscribeToken(box, asToken)).toBeNull();
  });

  it('is opened by a later keyring that still holds the key', () => {
    const first = newKeyEntry('old');
    const token = unsubscribeToken(secretBox(parseKeyring(first)), attendeeId);
    const rotated = secretBox(parseKeyring(`${newKeyEntry('new')},${first}`));
    expect(openUnsubscribeToken(rotated, token)).toBe(attendeeId);
  });

  it('makes the link of the event page and the one-click headers', () => {
    const url = unsubscribeLinks('https://roster.example', box)(attendeeId, 'e1');
    expect(url).toMatch(/^https:\/\/roster\.example\/events\/e1\/unsubscribe\?token=k\.1\.[\w-]+$/);
    expect(openUnsubscribeToken(box, new URL(url).searchParams.get('token') as string)).toBe(attendeeId);
    expect(listUnsubscribeHeaders(url)).toEqual([
      { name: 'List-Unsubscribe', value: `<${url}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ]);
  });
});

describe('Postmark subscription changes', () => {
  it('maps Postmark’s suppression reason and origin onto the organization’s reasons', () => {
    expect(reasonOfSubscriptionChange('HardBounce', 'Recipient')).toBe('hard_bounce');
    expect(reasonOfSubscriptionChange('SpamComplaint', 'Recipient')).toBe('spam_complaint');
    expect(reasonOfSubscriptionChange('ManualSuppression', 'Recipient')).toBe('unsubscribe');
    expect(reasonOfSubscriptionChange('ManualSuppression', 'Customer')).toBe('manual');
    expect(reasonOfSubscriptionChange('ManualSuppression', 'Admin')).toBe('manual');
    expect(reasonOfSubscriptionChange(undefined, undefined)).toBe('manual');
  });
});
