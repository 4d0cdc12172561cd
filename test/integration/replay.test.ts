import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTemporalCli } from '../../scripts/temporal-cli';
import { CODEC_TOKEN, eventually, type Stack, sampleEvent, startStack } from '../support/stack';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/histories');
// With the payload codec, as workers run: it decrypts fresh histories and passes the recorded,
// unencrypted ones through.
const bundle = () => stack.replayOptions();

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

describe('workflow determinism', () => {
  it('replays every recorded attendee history against the current workflow code', async () => {
    const files = readdirSync(fixtures).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const history = JSON.parse(readFileSync(path.join(fixtures, file), 'utf8'));
      await expect(Worker.runReplayHistory(bundle(), history, file), file).resolves.toBeUndefined();
    }
  });

  it('replays a fresh history of invite, duplicate refusal, resend, accept, login, block and unblock (RECORD_HISTORIES=1 stores it)', async () => {
    const api = (await stack.createOrganization()).client;
    const eventId = (await api('POST', '/v1/events', sampleEvent())).json.id;
    const invited = await api('POST', `/v1/events/${eventId}/attendees`, {
      email: 'replay@example.org',
      firstName: 'Re',
      lastName: 'Play',
    });
    expect(invited.status).toBe(201);
    expect((await api('POST', `/v1/events/${eventId}/attendees`, invited.json)).status).toBe(409);
    const attendeePath = `/v1/events/${eventId}/attendees/${invited.json.id}`;
    await api('POST', `${attendeePath}/actions/resend_email`);
    const mails = await eventually(() => {
      const sent = stack.postmark.messages.filter((m) => m.To === 'replay@example.org');
      return sent.length === 2 ? sent : undefined;
    });
    const token = /token=([\w-]+)/.exec(mails[0]?.TextBody ?? '')?.[1];
    const open = stack.client();
    expect((await open('POST', `/v1/public/invitations/${token}/accept`, {})).status).toBe(200);
    const loginMail = await eventually(() =>
      stack.postmark.messages.find(
        (m) => m.To === 'replay@example.org' && m.Metadata?.kind === 'registration_confirmation',
      ),
    );
    const loginToken = /token=([\w-]+)/.exec(loginMail.TextBody ?? '')?.[1];
    const session = (await open('POST', '/v1/public/login', { token: loginToken })).json.session;
    expect((await stack.client(session)('POST', '/v1/public/visits', { kind: 'page' })).status).toBe(202);
    expect((await api('POST', `${attendeePath}/actions/block`)).status).toBe(200);
    expect((await api('POST', `${attendeePath}/actions/unblock`)).status).toBe(200);
    const [row] = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ workflow_id: string }[]>('select workflow_id from attendees where id = ?', [
        invited.json.id,
      ]);
    const handle = stack.temporal.workflow.getHandle(row?.workflow_id ?? '');
    const history = await handle.fetchHistory();
    await Worker.runReplayHistory(bundle(), history, row?.workflow_id);
    if (process.env.RECORD_HISTORIES) {
      // The CLI's JSON is the format `temporal workflow show` gives anyone debugging production;
      // decoded through Roster's codec endpoint, so the fixture replays without the test's key.
      // Not execFileSync: this process must stay free to answer the CLI's codec requests.
      const { stdout: json } = await promisify(execFile)(ensureTemporalCli(), [
        'workflow',
        'show',
        '--address',
        inject('temporalAddress'),
        '--codec-endpoint',
        `${stack.baseUrl}/codec`,
        '--codec-auth',
        `Bearer ${CODEC_TOKEN}`,
        '--workflow-id',
        row?.workflow_id ?? '',
        '--output',
        'json',
      ]);
      writeFileSync(path.join(fixtures, 'attendee-lifecycle.json'), json);
    }
  });
});
