import { describe, expect, it } from 'vitest';
import { sharedInvitationRenderer } from '../../emails/invitation-skeleton';
import { renderEmail } from '../../emails/render';

// The preview line is padded with invisible characters to a length that depends on the name:
// the only difference a fill-in may make.
const unpadded = (e: { subject: string; html: string; text: string }) => ({
  ...e,
  html: e.html.replace(/[\u00a0\u200b-\u200f\ufeff ]{2,}/g, ''),
});

const event = {
  name: 'Summit <2027> & "friends"',
  startsAt: '2027-03-04T09:30:00Z',
  timezone: 'Europe/Berlin',
};

describe('invitations rendered once per event and language', () => {
  it('fills in each person exactly as a full render would, escaping included', async () => {
    const render = sharedInvitationRenderer(event);
    for (const [locale, firstName] of [
      ['en', 'Ada'],
      ['de', 'Jörg <b>&</b>'],
      ['ja', "O'Brien"],
    ] as const) {
      const url = `https://events.example/invitation?token=${firstName.length}abc&x=<1>`;
      const filled = await render(locale, firstName, url);
      const full = await renderEmail('invitation', {
        locale,
        firstName,
        eventName: event.name,
        ...event,
        url,
      });
      expect(unpadded(filled)).toEqual(unpadded(full));
    }
  });

  it('keeps one renderer per event, and a new one when the event shown changes', async () => {
    expect(sharedInvitationRenderer(event)).toBe(sharedInvitationRenderer({ ...event }));
    const moved = sharedInvitationRenderer({ ...event, startsAt: '2027-03-05T09:30:00Z' });
    expect(moved).not.toBe(sharedInvitationRenderer(event));
    const text = (await moved('en', 'Ada', 'https://events.example/x')).text;
    expect(text).not.toEqual(
      (await sharedInvitationRenderer(event)('en', 'Ada', 'https://events.example/x')).text,
    );
  });
});
