import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outsiders } from '../../db/queries/directory/event-access';
import { accessSweepScheduleId } from '../../workflows/access/definitions';
import { entraUser, newGroup, oktaUser, organizationWithScim, patchBody } from '../support/scim';
import { eventually, type Stack, sampleEvent, startStack } from '../support/stack';

let stack: Stack;
let org: Awaited<ReturnType<typeof organizationWithScim>>;

beforeAll(async () => {
  stack = await startStack();
  org = await organizationWithScim(stack);
});
afterAll(() => stack.close());

const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const email = (prefix = 'p') => `${unique(prefix)}@example.org`;
const CLOSED = { loginMode: 'sso', closed: true };

async function event(o = org, overrides: Record<string, unknown> = CLOSED) {
  const res = await o.client('POST', '/v1/events', sampleEvent(overrides));
  expect(res.status).toBe(201);
  return res.json.id as string;
}

async function user(body: unknown, o = org) {
  const res = await o.scim('POST', '/Users', body);
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; userName: string };
}

async function group(name: string, members: string[], o = org) {
  const res = await o.scim('POST', '/Groups', newGroup(name, members));
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; displayName: string };
}

const invite = (eventId: string, address: string, o = org) =>
  o.client('POST', `/v1/events/${eventId}/attendees`, {
    email: address,
    firstName: 'Ada',
    lastName: 'Lovelace',
    sendEmail: false,
  });

describe('the access groups list', () => {
  it('lists the organization’s groups with active member counts and the granted flag', async () => {
    const o = await organizationWithScim(stack);
    const eventId = await event(o);
    const [a, b, c] = await Promise.all([
      user(oktaUser(email()), o),
      user(oktaUser(email()), o),
      user(entraUser(email()), o),
    ]);
    if (!a || !b || !c) throw new Error('users');
    const eng = await group('Engineering', [a.id, b.id, c.id], o);
    await group('Sales', [a.id], o);
    // A deactivated member does not count.
    await o.scim('PATCH', `/Users/${c.id}`, patchBody({ op: 'Replace', path: 'active', value: 'False' }));

    const all = await o.client('GET', `/v1/events/${eventId}/access/groups`);
    expect(all.status).toBe(200);
    expect(all.json).toEqual({
      items: [
        { id: eng.id, displayName: 'Engineering', memberCount: 2, granted: false },
        { id: expect.any(String), displayName: 'Sales', memberCount: 1, granted: false },
      ],
      nextCursor: null,
      total: 2,
    });

    const granted = await o.client('PUT', `/v1/events/${eventId}/access/groups/${eng.id}`);
    expect(granted.status).toBe(200);
    expect(granted.json).toEqual({ id: eng.id, displayName: 'Engineering', memberCount: 2, granted: true });
    expect((await o.client('PUT', `/v1/events/${eventId}/access/groups/${eng.id}`)).json.granted).toBe(true);

    const onlyGranted = await o.client('GET', `/v1/events/${eventId}/access/groups?filter=granted`);
    expect(onlyGranted.json.items.map((g: { displayName: string }) => g.displayName)).toEqual([
      'Engineering',
    ]);
    const notGranted = await o.client('GET', `/v1/events/${eventId}/access/groups?filter=not_granted`);
    expect(notGranted.json.items.map((g: { displayName: string }) => g.displayName)).toEqual(['Sales']);
    expect(notGranted.json.total).toBe(1);

    const removed = await o.client('DELETE', `/v1/events/${eventId}/access/groups/${eng.id}`);
    expect(removed.status).toBe(200);
    expect(removed.json.granted).toBe(false);
    expect((await o.client('DELETE', `/v1/events/${eventId}/access/groups/${eng.id}`)).status).toBe(200);
    expect((await o.client('GET', `/v1/events/${eventId}/access/groups?filter=granted`)).json.items).toEqual(
      [],
    );
  });

  it('searches by name, case- and accent-insensitively, and pages with a cursor', async () => {
    const o = await organizationWithScim(stack);
    const eventId = await event(o);
    for (const name of ['Équipe Paris', 'equipe Lyon', 'Marketing', 'Équipe Berlin'])
      await group(name, [], o);
    const found = await o.client('GET', `/v1/events/${eventId}/access/groups?q=EQUIPE`);
    // Ordered by lower-cased name (how é sorts against e depends on the database collation).
    expect(found.json.items.map((g: { displayName: string }) => g.displayName).sort()).toEqual(
      ['equipe Lyon', 'Équipe Berlin', 'Équipe Paris'].sort(),
    );
    const first = await o.client('GET', `/v1/events/${eventId}/access/groups?limit=2`);
    expect(first.json.items).toHaveLength(2);
    expect(first.json.total).toBe(4);
    const second = await o.client(
      'GET',
      `/v1/events/${eventId}/access/groups?limit=2&cursor=${first.json.nextCursor}`,
    );
    expect(second.json.items).toHaveLength(2);
    expect(second.json.nextCursor).toBeNull();
    const names = [...first.json.items, ...second.json.items].map(
      (g: { displayName: string }) => g.displayName,
    );
    expect(new Set(names).size).toBe(4);
    expect((await o.client('GET', `/v1/events/${eventId}/access/groups?cursor=junk`)).status).toBe(400);
    expect((await o.client('GET', `/v1/events/${eventId}/access/groups?filter=some`)).status).toBe(422);
  });

  it('answers 409 event_not_closed for an event that is not closed, 404 for unknown ones and others’ groups', async () => {
    const open = await event(org, { loginMode: 'sso' });
    for (const [method, path] of [
      ['GET', `/v1/events/${open}/access/groups`],
      ['GET', `/v1/events/${open}/access/settings`],
      ['PUT', `/v1/events/${open}/access/groups/${crypto.randomUUID()}`],
    ] as const) {
      const res = await org.client(method, path);
      expect(res.status, path).toBe(409);
      expect(res.json.code).toBe('event_not_closed');
    }
    const magic = await event(org, {});
    expect(
      (await org.client('PUT', `/v1/events/${magic}/access/settings`, { allowOutsideIdpGroups: false })).json
        .code,
    ).toBe('event_not_closed');

    const closed = await event();
    expect(
      (await org.client('PUT', `/v1/events/${closed}/access/groups/${crypto.randomUUID()}`)).status,
    ).toBe(404);
    expect((await org.client('GET', `/v1/events/${crypto.randomUUID()}/access/groups`)).status).toBe(404);

    const other = await organizationWithScim(stack);
    const theirs = await group(unique('Theirs'), [], other);
    expect((await org.client('PUT', `/v1/events/${closed}/access/groups/${theirs.id}`)).status).toBe(404);
    const theirEvent = await event(other);
    expect((await org.client('GET', `/v1/events/${theirEvent}/access/groups`)).status).toBe(404);
  });

  it('needs an API key', async () => {
    const closed = await event();
    expect((await stack.client()('GET', `/v1/events/${closed}/access/groups`)).status).toBe(401);
  });

  it('creates the access sweep schedule of the task queue on the first grant', async () => {
    const closed = await event();
    const g = await group(unique('Scheduled'), []);
    await org.client('PUT', `/v1/events/${closed}/access/groups/${g.id}`);
    const schedule = await stack.temporal.schedule
      .getHandle(accessSweepScheduleId(stack.taskQueue))
      .describe();
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'accessSweepWorkflow' });
    expect(schedule.spec.intervals?.[0]?.every).toBe(15 * 60 * 1000);
  });
});

describe('the allowOutsideIdpGroups setting', () => {
  it('defaults to true and can be turned off and on', async () => {
    const closed = await event();
    expect((await org.client('GET', `/v1/events/${closed}/access/settings`)).json).toEqual({
      allowOutsideIdpGroups: true,
    });
    const off = await org.client('PUT', `/v1/events/${closed}/access/settings`, {
      allowOutsideIdpGroups: false,
    });
    expect(off.status).toBe(200);
    expect(off.json).toEqual({ allowOutsideIdpGroups: false });
    expect((await org.client('GET', `/v1/events/${closed}`)).json.accessSettings).toEqual({
      allowOutsideIdpGroups: false,
    });
    expect((await org.client('PUT', `/v1/events/${closed}/access/settings`, {})).status).toBe(422);
  });

  it('refuses to invite anyone outside the granted groups when off (409 outside_idp_groups)', async () => {
    const closed = await event();
    const memberAddress = email('member');
    const member = await user(oktaUser(memberAddress));
    const inOtherGroup = await user(oktaUser(email('other')));
    const upnOnly = await user({ userName: email('upn'), active: true });
    const granted = await group(unique('Granted'), [member.id, upnOnly.id]);
    await group(unique('Not granted'), [inOtherGroup.id]);
    await org.client('PUT', `/v1/events/${closed}/access/groups/${granted.id}`);
    await org.client('PUT', `/v1/events/${closed}/access/settings`, { allowOutsideIdpGroups: false });

    const outsider = await invite(closed, email('outsider'));
    expect(outsider.status).toBe(409);
    expect(outsider.json.code).toBe('outside_idp_groups');
    expect((await invite(closed, inOtherGroup.userName)).json.code).toBe('outside_idp_groups');

    // Matched by email, in any case, or by userName.
    expect((await invite(closed, memberAddress.toUpperCase())).status).toBe(201);
    expect((await invite(closed, upnOnly.userName)).status).toBe(201);
  });

  it('lets outsiders be invited while on, and applies to closed events only', async () => {
    const closed = await event();
    expect((await invite(closed, email('outsider'))).status).toBe(201);
    const open = await event(org, { loginMode: 'sso' });
    expect((await invite(open, email('outsider'))).status).toBe(201);
  });

  it('follows the directory at once: deactivation and a removed grant make a member an outsider', async () => {
    const closed = await event();
    const [a, b] = await Promise.all([user(entraUser(email('a'))), user(entraUser(email('b')))]);
    if (!a || !b) throw new Error('users');
    const g = await group(unique('Live'), [a.id, b.id]);
    await org.client('PUT', `/v1/events/${closed}/access/groups/${g.id}`);
    await org.client('PUT', `/v1/events/${closed}/access/settings`, { allowOutsideIdpGroups: false });

    await org.scim('PATCH', `/Users/${a.id}`, patchBody({ op: 'Replace', path: 'active', value: 'False' }));
    expect((await invite(closed, a.userName)).json.code).toBe('outside_idp_groups');

    await org.client('DELETE', `/v1/events/${closed}/access/groups/${g.id}`);
    expect((await invite(closed, b.userName)).json.code).toBe('outside_idp_groups');
    await org.client('PUT', `/v1/events/${closed}/access/groups/${g.id}`);
    expect((await invite(closed, b.userName)).status).toBe(201);
  });
});

describe('bulk rows on a closed event', () => {
  it('marks rows of people outside the granted groups with outside_idp_groups in the check-your-file report', async () => {
    const closed = await event();
    const memberAddress = email('member');
    const member = await user(oktaUser(memberAddress));
    const granted = await group(unique('Bulk granted'), [member.id]);
    await org.client('PUT', `/v1/events/${closed}/access/groups/${granted.id}`);
    await org.client('PUT', `/v1/events/${closed}/access/settings`, { allowOutsideIdpGroups: false });
    const outsider = email('outsider');
    const csv = `email,first_name,last_name\n${memberAddress},Ada,Member\n${outsider},Eve,Outsider\n`;
    const report = await org.client('POST', `/v1/events/${closed}/imports`, csv, {
      'content-type': 'text/csv',
    });
    expect(report.status).toBe(201);
    expect(report.json.totals).toMatchObject({ rows: 2, valid: 1, invalid: 1 });
    expect(report.json.errors).toEqual([
      expect.objectContaining({ row: 3, column: 'email', code: 'outside_idp_groups' }),
    ]);

    await org.client('PUT', `/v1/events/${closed}/access/settings`, { allowOutsideIdpGroups: true });
    const allowed = await org.client('POST', `/v1/events/${closed}/imports`, csv, {
      'content-type': 'text/csv',
    });
    expect(allowed.json.totals).toMatchObject({ valid: 2, invalid: 0 });
  });

  it('applies the rule as it stands at the start: a file checked while outsiders were allowed invites none', async () => {
    const closed = await event();
    const memberAddress = email('member');
    const member = await user(oktaUser(memberAddress));
    const granted = await group(unique('Start granted'), [member.id]);
    await org.client('PUT', `/v1/events/${closed}/access/groups/${granted.id}`);
    const outsider = email('outsider');
    const csv = `email,first_name,last_name\n${memberAddress},Ada,Member\n${outsider},Eve,Outsider\n`;
    const report = await org.client('POST', `/v1/events/${closed}/imports`, csv, {
      'content-type': 'text/csv',
    });
    expect(report.json.totals).toMatchObject({ valid: 2, invalid: 0 });

    await org.client('PUT', `/v1/events/${closed}/access/settings`, { allowOutsideIdpGroups: false });
    const path = `/v1/events/${closed}/imports/${report.json.id}`;
    expect((await org.client('POST', `${path}/start`, { sendEmail: false })).status).toBe(202);
    const done = await eventually(async () => {
      const res = await org.client('GET', path);
      return res.json.status === 'completed' ? res.json : undefined;
    });
    expect(done.progress).toMatchObject({ processed: 2, invited: 1, skipped: 1 });
    const list = await org.client('GET', `/v1/events/${closed}/attendees`);
    expect(list.json.items.map((a: { email: string }) => a.email)).toEqual([memberAddress]);
  });
});

describe('registration on a closed event', () => {
  it('refuses an invited outsider’s registration once outsiders are no longer allowed', async () => {
    const closed = await event();
    const address = email('late');
    const invited = await org.client('POST', `/v1/events/${closed}/attendees`, {
      email: address,
      firstName: 'Late',
      lastName: 'Comer',
    });
    expect(invited.status).toBe(201);
    const message = await eventually(() => stack.postmark.messages.find((m) => m.To === address));
    const token = /token=([\w-]+)/.exec(message.TextBody ?? '')?.[1];
    await org.client('PUT', `/v1/events/${closed}/access/settings`, { allowOutsideIdpGroups: false });
    const accepted = await stack.client()('POST', `/v1/public/invitations/${token}/accept`, {});
    expect(accepted.status).toBe(409);
    expect(accepted.json.code).toBe('outside_idp_groups');
  });
});

describe('outsiders() for bulk rows', () => {
  it('answers the keys of a page that are not active members of a granted group', async () => {
    const closed = await event();
    const [a, b] = await Promise.all([user(oktaUser(email('a'))), user(oktaUser(email('b')))]);
    if (!a || !b) throw new Error('users');
    const g = await group(unique('Bulk'), [a.id, b.id]);
    await org.client('PUT', `/v1/events/${closed}/access/groups/${g.id}`);
    await org.scim('PATCH', `/Users/${b.id}`, patchBody({ op: 'replace', value: { active: false } }));
    const stranger = email('stranger');
    const result = await outsiders(stack.orm.em.fork(), closed, [a.userName, b.userName, stranger]);
    expect([...result].sort()).toEqual([b.userName, stranger].sort());
    expect(await outsiders(stack.orm.em.fork(), closed, [])).toEqual(new Set());
  });
});
