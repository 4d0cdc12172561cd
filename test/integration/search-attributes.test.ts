import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importWorkflowId } from '../../workflows/bulk-invite/definitions';
import { eventually, type Stack, sampleEvent, startStack } from '../support/stack';

/** The Temporal Web UI can find an organization's or an event's workflows by Roster's attributes. */
let stack: Stack;
let org: Awaited<ReturnType<Stack['createOrganization']>>;
beforeAll(async () => {
  stack = await startStack();
  org = await stack.createOrganization();
});
afterAll(() => stack.close());

const ids = async (query: string) => {
  const found: string[] = [];
  for await (const w of stack.temporal.workflow.list({ query })) found.push(w.workflowId);
  return found.sort();
};

describe('search attributes and Web UI summaries', () => {
  it("filters an event's attendee workflows by status, as the status changes", async () => {
    const event = (await org.client('POST', '/v1/events', sampleEvent())).json;
    const invite = (email: string) =>
      org.client('POST', `/v1/events/${event.id}/attendees`, {
        email,
        firstName: 'A',
        lastName: 'B',
        sendEmail: false,
      });
    const ada = (await invite('ada@example.com')).json;
    await invite('bob@example.com');
    const byStatus = (status: string) =>
      ids(`RosterEventId = "${event.id}" AND RosterAttendeeStatus = "${status}"`);
    await eventually(async () => ((await byStatus('invited')).length === 2 ? true : undefined));
    expect(await byStatus('blocked')).toEqual([]);

    expect(
      (await org.client('POST', `/v1/events/${event.id}/attendees/${ada.id}/actions/block`)).status,
    ).toBe(200);
    await eventually(async () => ((await byStatus('blocked')).length === 1 ? true : undefined));
    expect((await byStatus('invited')).length).toBe(1);
  });

  it('shows a bulk import with its organization, summary, progress and final status', async () => {
    const event = (await org.client('POST', '/v1/events', sampleEvent())).json;
    const csv = ['email,first_name,last_name', 'c1@example.com,C,One', 'c2@example.com,C,Two'].join('\n');
    const report = (
      await org.client('POST', `/v1/events/${event.id}/imports`, csv, { 'content-type': 'text/csv' })
    ).json;
    await org.client('POST', `/v1/events/${event.id}/imports/${report.id}/start`, { sendEmail: false });
    const workflowId = importWorkflowId(report.id);
    await eventually(async () => {
      const found = await ids(
        `RosterOrganizationId = "${org.organizationId}" AND RosterEventId = "${event.id}" AND RosterRunStatus = "completed"`,
      );
      return found.includes(workflowId) ? true : undefined;
    });
    const described = await stack.temporal.workflow.getHandle(workflowId).describe();
    expect(await described.staticSummary()).toBe(
      `Bulk invite of 2 rows (import ${report.id}, event ${event.id})`,
    );
    // Each attendee workflow the import started carries its status from the start.
    expect(await ids(`RosterEventId = "${event.id}" AND RosterAttendeeStatus = "invited"`)).toHaveLength(2);
  });

  it("records no patch markers and no unchanged upsert in a new attendee's history", async () => {
    const event = (await org.client('POST', '/v1/events', sampleEvent())).json;
    const single = await org.client('POST', `/v1/events/${event.id}/attendees`, {
      email: 'lean@example.com',
      firstName: 'Lean',
      lastName: 'History',
      sendEmail: false,
    });
    expect(single.status).toBe(201);
    const csv = ['email,first_name,last_name', 'bulk1@example.com,Bulk,One'].join('\n');
    const report = (
      await org.client('POST', `/v1/events/${event.id}/imports`, csv, { 'content-type': 'text/csv' })
    ).json;
    await org.client('POST', `/v1/events/${event.id}/imports/${report.id}/start`, { sendEmail: false });
    await eventually(async () =>
      (await ids(`RosterEventId = "${event.id}" AND RosterAttendeeStatus = "invited"`)).length === 2
        ? true
        : undefined,
    );
    const workflowIds = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ id: string; workflow_id: string }[]>(
        'select id, workflow_id from attendees where event_id = ?',
        [event.id],
      );
    expect(workflowIds).toHaveLength(2);
    for (const { id, workflow_id } of workflowIds) {
      const handle = stack.temporal.workflow.getHandle(workflow_id);
      // An imported attendee's first task waits for something to happen to it: an edit, which
      // changes no status.
      const edited = await org.client('PATCH', `/v1/events/${event.id}/attendees/${id}`, { title: 'Edited' });
      expect(edited.status).toBe(200);
      // The first workflow task is done: the workflow answers a query.
      await eventually(async () => ((await handle.query('state').catch(() => null)) ? true : undefined));
      const history = await handle.fetchHistory();
      const events = history.events ?? [];
      // Patches are taken from the starter's codeVersion: no marker, no TemporalChangeVersion upsert;
      // the status was set at the start, so no upsert repeats it.
      const patches = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
      expect(patches, workflow_id).toHaveLength(0);
      expect(
        events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes),
        workflow_id,
      ).toHaveLength(0);
      const described = await handle.describe();
      expect(described.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value])).toEqual(
        expect.arrayContaining([
          ['RosterEventId', event.id],
          ['RosterAttendeeStatus', 'invited'],
        ]),
      );
    }
  });
});
