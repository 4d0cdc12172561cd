import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InvitedInput, invitedSignal } from '../../workflows/attendee/definitions';
import { attendeeWorkflowId } from '../../workflows/attendee/workflow-id';
import { EVENT_SITE_URL, eventually, type Stack, sampleEvent, startStack } from '../support/stack';

let stack: Stack;
type Client = Awaited<ReturnType<Stack['createOrganization']>>['client'];
let api: Client;

beforeAll(async () => {
  stack = await startStack();
  api = (await stack.createOrganization()).client;
});
afterAll(() => stack.close());

async function newEvent(client: Client = api, overrides: Record<string, unknown> = {}) {
  const res = await client('POST', '/v1/events', sampleEvent(overrides));
  expect(res.status).toBe(201);
  return res.json.id as string;
}

const person = (email: string, extra: Record<string, unknown> = {}) => ({
  email,
  firstName: 'Ada',
  lastName: 'Lovelace',
  ...extra,
});

const emailsTo = (address: string) =>
  stack.postmark.messages.filter((m) => m.To.toLowerCase() === address.toLowerCase());

describe('inviting one person', () => {
  it('answers 201 with an invited attendee and sends a localized invitation when sendEmail is left out', async () => {
    const eventId = await newEvent(api, { defaultLanguage: 'de' });
    const res = await api('POST', `/v1/events/${eventId}/attendees`, person('  Ada@Example.org '));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      eventId,
      email: 'Ada@Example.org',
      firstName: 'Ada',
      lastName: 'Lovelace',
      language: 'de',
      roles: ['attendee'],
      status: 'invited',
      detailedStatus: 'invited_by_team_member',
      chatBlocked: false,
      actions: ['edit', 'resend_email', 'remove', 'block', 'generate_login_link'],
    });

    const [message] = await eventually(() => {
      const sent = emailsTo('ada@example.org');
      return sent.length > 0 ? sent : undefined;
    });
    expect(message?.Subject).toContain('Launch Week');
    expect(message?.Subject).toContain('Einladung');
    expect(message?.Metadata).toEqual({
      attendeeId: res.json.id,
      eventId,
      kind: 'invitation',
      rosterAttempt: expect.any(String),
      rosterLedgerId: expect.any(String),
    });
    expect(message?.Tag).toBe('invitation');
    const link = /https:\/\/events\.example\.test\/\S+\?token=([A-Za-z0-9_-]{43})/.exec(
      message?.TextBody ?? '',
    );
    expect(link?.[0].startsWith(`${EVENT_SITE_URL}/events/${eventId}/`)).toBe(true);
    expect(message?.HtmlBody).toContain(link?.[1]);
  });

  it('adds the person without any email when sendEmail is false, and sends one on resend_email', async () => {
    const eventId = await newEvent();
    const res = await api(
      'POST',
      `/v1/events/${eventId}/attendees`,
      person('quiet@example.org', { sendEmail: false }),
    );
    expect(res.status).toBe(201);
    await new Promise((r) => setTimeout(r, 500));
    expect(emailsTo('quiet@example.org')).toHaveLength(0);

    const resend = await api('POST', `/v1/events/${eventId}/attendees/${res.json.id}/actions/resend_email`);
    expect(resend.status).toBe(200);
    expect(resend.json.status).toBe('invited');
    await eventually(() => (emailsTo('quiet@example.org').length === 1 ? true : undefined));
  });

  it('sends one more invitation for every resend_email', async () => {
    const eventId = await newEvent();
    const { json } = await api('POST', `/v1/events/${eventId}/attendees`, person('twice@example.org'));
    await api('POST', `/v1/events/${eventId}/attendees/${json.id}/actions/resend_email`);
    await api('POST', `/v1/events/${eventId}/attendees/${json.id}/actions/resend_email`);
    await eventually(() => (emailsTo('twice@example.org').length === 3 ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(emailsTo('twice@example.org')).toHaveLength(3);
  });

  it('answers 409 duplicate_email when the address differs only in case and spaces', async () => {
    const eventId = await newEvent();
    expect((await api('POST', `/v1/events/${eventId}/attendees`, person('dup@example.org'))).status).toBe(
      201,
    );
    const again = await api('POST', `/v1/events/${eventId}/attendees`, person(' DUP@example.ORG'));
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('duplicate_email');
    expect((await api('GET', `/v1/events/${eventId}/attendees`)).json.total).toBe(1);
  });

  it('lets exactly one of ten concurrent invites of one address win', async () => {
    const eventId = await newEvent();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        api('POST', `/v1/events/${eventId}/attendees`, person('race@example.org')),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.json.code === 'duplicate_email')).toHaveLength(9);
    await eventually(() => (emailsTo('race@example.org').length === 1 ? true : undefined));
    // The workflow holds the winner, not one of the nine refused invites it was signalled about.
    const winner = results.find((r) => r.status === 201)?.json.id;
    const resend = await api('POST', `/v1/events/${eventId}/attendees/${winner}/actions/resend_email`);
    expect(resend.status).toBe(200);
    await eventually(() => (emailsTo('race@example.org').length === 2 ? true : undefined));
  });

  it('completes an invite whose API stopped after signalling the workflow and before writing the attendee', async () => {
    const eventId = await newEvent();
    const attendeeId = randomUUID();
    const invite: InvitedInput = {
      attendeeId,
      email: 'stopped@example.org',
      firstName: 'Ada',
      lastName: 'Lovelace',
      language: 'en',
      roles: ['attendee'],
      title: null,
      company: null,
      bio: null,
      status: 'invited',
      detailedStatus: 'invited_by_team_member',
      loginMode: 'magic_link',
      sendEmail: true,
      by: 'api_key:test',
    };
    await stack.temporal.workflow.signalWithStart('attendeeWorkflow', {
      workflowId: attendeeWorkflowId(eventId, 'stopped@example.org'),
      taskQueue: stack.taskQueue,
      args: [{ eventId, emailKey: 'stopped@example.org' }],
      signal: invitedSignal,
      signalArgs: [invite],
    });
    const row = await eventually(async () => {
      const res = await api('GET', `/v1/events/${eventId}/attendees/${attendeeId}`);
      return res.status === 200 ? res.json : undefined;
    });
    expect(row).toMatchObject({ email: 'stopped@example.org', status: 'invited' });
    expect(row.history).toEqual([expect.objectContaining({ status: 'invited', by: 'api_key:test' })]);
    await eventually(() => (emailsTo('stopped@example.org').length === 1 ? true : undefined));
    const again = await api('POST', `/v1/events/${eventId}/attendees`, person('stopped@example.org'));
    expect(again.status).toBe(409);
  });

  it('invites the same address to two events independently', async () => {
    const [a, b] = [await newEvent(), await newEvent()];
    expect((await api('POST', `/v1/events/${a}/attendees`, person('both@example.org'))).status).toBe(201);
    expect((await api('POST', `/v1/events/${b}/attendees`, person('both@example.org'))).status).toBe(201);
  });

  it.each([
    ['an address without a dotted domain', person('ada@localhost'), 'email', 'invalid_email'],
    ['an address with non-ASCII characters', person('josé@example.org'), 'email', 'email_special_characters'],
    ['a missing first name', { email: 'x@example.org', lastName: 'L' }, 'firstName', 'missing_field'],
    ['a likely domain typo', person('ada@gmial.com'), 'email', 'email_domain_typo'],
    ['an unknown language', person('l@example.org', { language: 'tlh' }), 'language', 'invalid_language'],
    ['an unknown role', person('r@example.org', { roles: ['host'] }), 'roles', 'invalid_role'],
    ['a bio for a plain attendee', person('b@example.org', { bio: 'Hi' }), 'bio', 'profile_needs_role'],
    [
      'a bio over 2,500 characters',
      person('long@example.org', { roles: ['speaker'], bio: 'x'.repeat(2501) }),
      'bio',
      'field_too_long',
    ],
  ])('answers 422 when given %s', async (_label, body, path, code) => {
    const eventId = await newEvent();
    const res = await api('POST', `/v1/events/${eventId}/attendees`, body);
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('validation_failed');
    expect(res.json.errors).toContainEqual(expect.objectContaining({ path, code }));
  });

  it('normalizes like the bulk import when the language and role come in another case', async () => {
    const eventId = await newEvent();
    const res = await api(
      'POST',
      `/v1/events/${eventId}/attendees`,
      person('case@example.org', { language: 'PT-br', roles: ['Speaker', 'MODERATOR'], sendEmail: false }),
    );
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ language: 'pt-BR', roles: ['attendee', 'speaker', 'moderator'] });
  });

  it('keeps title, company and bio for speakers and lists them among the speakers', async () => {
    const eventId = await newEvent();
    const res = await api(
      'POST',
      `/v1/events/${eventId}/attendees`,
      person('grace@example.org', {
        firstName: 'Grace',
        roles: ['speaker', 'speaker'],
        title: 'Rear Admiral',
        company: 'US Navy',
        bio: 'Wrote the first compiler.',
        sendEmail: false,
      }),
    );
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      roles: ['attendee', 'speaker'],
      title: 'Rear Admiral',
      company: 'US Navy',
      bio: 'Wrote the first compiler.',
    });
    await api('POST', `/v1/events/${eventId}/attendees`, person('plain@example.org', { sendEmail: false }));
    const speakers = await api('GET', `/v1/events/${eventId}/speakers`);
    expect(speakers.json.items.map((a: { email: string }) => a.email)).toEqual(['grace@example.org']);
    expect(speakers.json.items[0]).toMatchObject({ bio: 'Wrote the first compiler.', status: 'invited' });
    expect((await api('GET', `/v1/events/${eventId}/moderators`)).json.total).toBe(0);
  });

  it('keeps title and company for a plain attendee when invited and edited, and refuses only a bio', async () => {
    const eventId = await newEvent();
    const res = await api(
      'POST',
      `/v1/events/${eventId}/attendees`,
      person('ops@example.org', { title: 'Head of Ops', company: 'ACME', sendEmail: false }),
    );
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ roles: ['attendee'], title: 'Head of Ops', company: 'ACME' });
    const path = `/v1/events/${eventId}/attendees/${res.json.id}`;
    const edited = await api('PATCH', path, { company: 'Initech', title: 'COO' });
    expect(edited.status).toBe(200);
    expect(edited.json).toMatchObject({ company: 'Initech', title: 'COO' });
    const bio = await api('PATCH', path, { bio: 'Hi' });
    expect(bio.status).toBe(422);
    expect(bio.json.errors).toEqual([expect.objectContaining({ path: 'bio', code: 'profile_needs_role' })]);
  });

  it('answers 404 when the event is unknown or belongs to another organization', async () => {
    const eventId = await newEvent();
    const other = (await stack.createOrganization()).client;
    const foreign = await other('POST', `/v1/events/${eventId}/attendees`, person('x@example.org'));
    expect(foreign.status).toBe(404);
    const unknown = await api(
      'POST',
      '/v1/events/00000000-0000-4000-8000-000000000000/attendees',
      person('x@example.org'),
    );
    expect(unknown.status).toBe(404);
  });

  it('replays the first answer when an invite repeats its Idempotency-Key', async () => {
    const eventId = await newEvent();
    const headers = { 'idempotency-key': `invite-${eventId}` };
    const first = await api('POST', `/v1/events/${eventId}/attendees`, person('idem@example.org'), headers);
    const again = await api('POST', `/v1/events/${eventId}/attendees`, person('idem@example.org'), headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    await new Promise((r) => setTimeout(r, 300));
    expect(emailsTo('idem@example.org')).toHaveLength(1);
  });
});

describe('email delivery through Postmark', () => {
  it('retries with backoff and delivers once when Postmark answers 429 and then 500', async () => {
    const eventId = await newEvent();
    stack.postmark.failNext(1, { status: 429 });
    stack.postmark.failNext(1, { status: 500 });
    await api('POST', `/v1/events/${eventId}/attendees`, person('retry@example.org'));
    await eventually(() => (emailsTo('retry@example.org').length === 1 ? true : undefined), 20_000);
  });

  it('waits out a longer outage on a server timer and delivers the invitation once', async () => {
    const eventId = await newEvent();
    stack.postmark.setOutage(9_000);
    const res = await api('POST', `/v1/events/${eventId}/attendees`, person('outage@example.org'));
    expect(res.status).toBe(201);
    await eventually(() => (emailsTo('outage@example.org').length === 1 ? true : undefined), 40_000);
    // The email is a local activity of the invite's workflow task; past the first retries the
    // workflow task ends and a timer (beside the lifecycle's own) brings the next attempt.
    const [row] = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ workflow_id: string }[]>('select workflow_id from attendees where id = ?', [res.json.id]);
    const history = await stack.temporal.workflow.getHandle(row?.workflow_id ?? '').fetchHistory();
    const events = history.events ?? [];
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toHaveLength(0);
    expect(events.filter((e) => e.timerStartedEventAttributes).length).toBeGreaterThan(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(emailsTo('outage@example.org')).toHaveLength(1);
  }, 60_000);

  it('records an inactive recipient as failed and does not retry it', async () => {
    const eventId = await newEvent();
    stack.postmark.setRecipientError('inactive@example.org', 406);
    const res = await api('POST', `/v1/events/${eventId}/attendees`, person('inactive@example.org'));
    expect(res.status).toBe(201);
    const row = await eventually(async () => {
      const rows = await stack.orm.em
        .fork()
        .getConnection()
        .execute<{ status: string; error_code: number }[]>(
          'select status, error_code from email_messages where attendee_id = ?',
          [res.json.id],
        );
      return rows[0]?.status === 'failed' ? rows[0] : undefined;
    });
    expect(row.error_code).toBe(406);
    const calls = stack.postmark.requests['/email'];
    await new Promise((r) => setTimeout(r, 1500));
    expect(stack.postmark.requests['/email']).toBe(calls);
    expect((await api('GET', `/v1/events/${eventId}/attendees/${res.json.id}`)).json.status).toBe('invited');
  });
});

describe('listing attendees', () => {
  let eventId: string;
  const people = [
    { email: 'zoe@example.org', firstName: 'Zoë', lastName: 'Åberg', language: 'sv' },
    { email: 'jose@example.org', firstName: 'José', lastName: 'Núñez', language: 'es', roles: ['moderator'] },
    { email: 'amy@example.org', firstName: 'Amy', lastName: 'Baker', language: 'en', roles: ['speaker'] },
    { email: 'bo@example.org', firstName: 'Bo', lastName: 'Chen', language: 'zh-Hans' },
    { email: 'carl@example.org', firstName: 'Carl', lastName: 'Diaz', language: 'en' },
  ];

  beforeAll(async () => {
    eventId = await newEvent();
    for (const p of people) {
      const res = await api('POST', `/v1/events/${eventId}/attendees`, { ...p, sendEmail: false });
      expect(res.status).toBe(201);
    }
  });

  const emails = (res: { json: { items: { email: string }[] } }) => res.json.items.map((a) => a.email);

  /** Walks the list two at a time through its cursors: every address seen and every page's total. */
  async function walkPages(query: string) {
    const seen: string[] = [];
    const totals: number[] = [];
    let cursor: string | null = null;
    do {
      const page: {
        status: number;
        json: { items: { email: string }[]; nextCursor: string | null; total: number };
      } = await api(
        'GET',
        `/v1/events/${eventId}/attendees?${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...emails(page));
      totals.push(page.json.total);
      cursor = page.json.nextCursor;
    } while (cursor);
    return { seen, totals };
  }

  it('lists newest first by default, oldest first with -createdAt, with the total', async () => {
    const res = await api('GET', `/v1/events/${eventId}/attendees`);
    expect(res.json.total).toBe(5);
    expect(emails(res)).toEqual(people.map((p) => p.email).reverse());
    expect(emails(await api('GET', `/v1/events/${eventId}/attendees?sort=-createdAt`))).toEqual(
      people.map((p) => p.email),
    );
  });

  it('matches names case- and accent-insensitively as a substring when given q', async () => {
    expect(emails(await api('GET', `/v1/events/${eventId}/attendees?q=NUNEZ`))).toEqual(['jose@example.org']);
    expect(emails(await api('GET', `/v1/events/${eventId}/attendees?q=zoe%20ab`))).toEqual([
      'zoe@example.org',
    ]);
    expect(emails(await api('GET', `/v1/events/${eventId}/attendees?q=AMY@EX`))).toEqual(['amy@example.org']);
    expect((await api('GET', `/v1/events/${eventId}/attendees?q=%25`)).json.total).toBe(0);
  });

  it('filters by role, language, status and detailed status', async () => {
    expect(emails(await api('GET', `/v1/events/${eventId}/attendees?role=speaker`))).toEqual([
      'amy@example.org',
    ]);
    expect(emails(await api('GET', `/v1/events/${eventId}/attendees?role=moderator`))).toEqual([
      'jose@example.org',
    ]);
    expect(emails(await api('GET', `/v1/events/${eventId}/attendees?language=zh-Hans`))).toEqual([
      'bo@example.org',
    ]);
    expect((await api('GET', `/v1/events/${eventId}/attendees?status=invited`)).json.total).toBe(5);
    expect((await api('GET', `/v1/events/${eventId}/attendees?status=registered`)).json.total).toBe(0);
    const detailed = await api(
      'GET',
      `/v1/events/${eventId}/attendees?detailedStatus=invited_by_team_member`,
    );
    expect(detailed.json.total).toBe(5);
    expect((await api('GET', `/v1/events/${eventId}/attendees?status=lost`)).status).toBe(422);
  });

  it('sorts by name and by email, paging with a cursor that keeps the filter and total', async () => {
    expect(emails(await api('GET', `/v1/events/${eventId}/attendees?sort=email`))).toEqual(
      people.map((p) => p.email).sort(),
    );
    const byName = [
      'amy@example.org',
      'bo@example.org',
      'carl@example.org',
      'jose@example.org',
      'zoe@example.org',
    ];
    const { seen, totals } = await walkPages('sort=name');
    expect(new Set(totals)).toEqual(new Set([5]));
    expect(seen).toEqual(byName);
  });

  it('pages newest first and oldest first without losing or repeating anyone', async () => {
    for (const sort of ['createdAt', '-createdAt']) {
      const { seen } = await walkPages(`sort=${sort}`);
      const expected = people.map((p) => p.email);
      expect(seen).toEqual(sort === 'createdAt' ? expected.reverse() : expected);
    }
  });

  it('pages a search in every sort with a cursor, keeping the search total', async () => {
    const byEmail = people.map((p) => p.email).sort();
    const byName = ['amy', 'bo', 'carl', 'jose', 'zoe'].map((n) => `${n}@example.org`);
    const newest = people.map((p) => p.email).reverse();
    const expected: Record<string, string[]> = {
      createdAt: newest,
      '-createdAt': [...newest].reverse(),
      name: byName,
      email: byEmail,
    };
    // Every address has an `exam` and an `o` (example.org); only Carl has an `ar`.
    for (const [q, matches] of [
      ['exam', byEmail],
      ['o', byEmail],
      ['ar', ['carl@example.org']],
    ] as const) {
      for (const sort of [...Object.keys(expected), 'status']) {
        const { seen, totals } = await walkPages(`q=${q}&sort=${sort}`);
        expect(new Set(totals)).toEqual(new Set([matches.length]));
        // Everyone is invited: the status sort's ties go by id, so only the set is known.
        if (sort === 'status') expect([...seen].sort()).toEqual(matches);
        else expect(seen).toEqual(expected[sort]?.filter((e) => (matches as readonly string[]).includes(e)));
      }
    }
  });

  it('keeps microsecond-apart rows apart across a page boundary', async () => {
    const event = await newEvent();
    // Rows written by SQL (as a bulk insert does) can share a millisecond.
    await stack.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into attendees (id, event_id, email, email_key, first_name, last_name, language, roles, status,
           detailed_status, search_text, name_key, workflow_id, created_at, updated_at)
         select gen_random_uuid(), ?, 'us' || i || '@example.org', 'us' || i || '@example.org', 'U', 'S' || i, 'en',
           array['attendee'], 'invited', 'invited_by_team_member', 'u s', 'u s', 'w', 
           '2030-01-01T00:00:00.000Z'::timestamptz + make_interval(secs => i / 1000000.0), now()
           from generate_series(1, 6) as i`,
        [event],
      );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: { items: { email: string }[]; nextCursor: string | null } } = await api(
        'GET',
        `/v1/events/${event}/attendees?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...emails(page));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1].map((i) => `us${i}@example.org`));
  });

  it('answers 400 invalid_cursor when a cursor from another sort is given', async () => {
    const page = await api('GET', `/v1/events/${eventId}/attendees?sort=name&limit=1`);
    const res = await api('GET', `/v1/events/${eventId}/attendees?sort=email&cursor=${page.json.nextCursor}`);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('invalid_cursor');
  });

  it('answers 404 for the list of an unknown event or one of another organization, even with a bad cursor', async () => {
    const other = (await stack.createOrganization()).client;
    for (const path of [`/v1/events/${eventId}/attendees`, `/v1/events/${eventId}/speakers?cursor=x`]) {
      expect((await other('GET', path)).status).toBe(404);
    }
    const empty = await api('GET', `/v1/events/${await newEvent()}/attendees?status=blocked`);
    expect(empty.json).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it('keeps each filtered total equal to the rows listed as attendees are edited, blocked and removed', async () => {
    const event = await newEvent();
    const ids: string[] = [];
    for (const p of people) {
      const res = await api('POST', `/v1/events/${event}/attendees`, { ...p, sendEmail: false });
      ids.push(res.json.id as string);
    }
    const path = (i: number) => `/v1/events/${event}/attendees/${ids[i]}`;
    expect((await api('PATCH', path(0), { roles: ['speaker'], language: 'en' })).status).toBe(200);
    expect((await api('PATCH', path(1), { roles: [] })).status).toBe(200);
    expect((await api('POST', `${path(3)}/actions/block`)).status).toBe(200);
    expect((await api('POST', `${path(4)}/actions/remove`)).status).toBe(200);

    const filters = [
      '',
      'role=speaker',
      'role=moderator',
      'role=attendee',
      'language=en',
      'status=blocked',
      'status=invited&role=speaker',
      'detailedStatus=invited_by_team_member&language=en',
      'status=invited&role=speaker&language=en',
    ];
    const totals: Record<string, [number, number]> = {};
    for (const filter of filters) {
      const res = await api('GET', `/v1/events/${event}/attendees?limit=100&${filter}`);
      totals[filter] = [res.json.total as number, (res.json.items as unknown[]).length];
    }
    expect(totals).toEqual({
      '': [4, 4],
      'role=speaker': [2, 2],
      'role=moderator': [0, 0],
      'role=attendee': [4, 4],
      'language=en': [2, 2],
      'status=blocked': [1, 1],
      'status=invited&role=speaker': [2, 2],
      'detailedStatus=invited_by_team_member&language=en': [2, 2],
      'status=invited&role=speaker&language=en': [2, 2],
    });
  });
});

describe('one attendee', () => {
  it('shows the history of statuses with who made each change', async () => {
    const eventId = await newEvent();
    const created = (await api('POST', `/v1/events/${eventId}/attendees`, person('hist@example.org'))).json;
    const res = await api('GET', `/v1/events/${eventId}/attendees/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.json.history).toHaveLength(1);
    expect(res.json.history[0]).toMatchObject({
      status: 'invited',
      detailedStatus: 'invited_by_team_member',
    });
    expect(res.json.history[0].by).toMatch(/^api_key:/);
  });

  it('answers 404 for an unknown attendee, one of another event, and one of another organization', async () => {
    const [eventId, otherEventId] = [await newEvent(), await newEvent()];
    const created = (await api('POST', `/v1/events/${eventId}/attendees`, person('where@example.org'))).json;
    expect(
      (await api('GET', `/v1/events/${eventId}/attendees/00000000-0000-4000-8000-000000000000`)).status,
    ).toBe(404);
    expect((await api('GET', `/v1/events/${otherEventId}/attendees/${created.id}`)).status).toBe(404);
    const other = (await stack.createOrganization()).client;
    expect((await other('GET', `/v1/events/${eventId}/attendees/${created.id}`)).status).toBe(404);
    expect(
      (await other('POST', `/v1/events/${eventId}/attendees/${created.id}/actions/resend_email`)).status,
    ).toBe(404);
  });

  it('answers 409 action_not_allowed for an action the status does not allow', async () => {
    const eventId = await newEvent();
    const created = (await api('POST', `/v1/events/${eventId}/attendees`, person('na@example.org'))).json;
    for (const action of ['unblock', 'block_from_chat', 'unblock_from_chat']) {
      const res = await api('POST', `/v1/events/${eventId}/attendees/${created.id}/actions/${action}`);
      expect(res.status).toBe(409);
      expect(res.json.code).toBe('action_not_allowed');
    }
    const unknown = await api('POST', `/v1/events/${eventId}/attendees/${created.id}/actions/explode`);
    expect(unknown.status).toBe(422);
  });

  it('does not offer generate_login_link on an SSO event and refuses resend to nobody', async () => {
    const eventId = await newEvent(api, { loginMode: 'sso' });
    const created = (await api('POST', `/v1/events/${eventId}/attendees`, person('sso@example.org'))).json;
    expect(created.actions).toEqual(['edit', 'resend_email', 'remove', 'block']);
    const res = await api(
      'POST',
      `/v1/events/${eventId}/attendees/${created.id}/actions/generate_login_link`,
    );
    expect(res.status).toBe(409);
  });
});
