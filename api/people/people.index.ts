import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { personAttendeeIds } from '../../db/queries/attendees';
import { eraseAttendees } from '../../db/writes/attendees';
import type { WebhookWakes } from '../../db/writes/webhook-events';
import { emailKey } from '../../domain/email-address';
import { eraseUpdate } from '../../workflows/attendee/definitions';
import { problemResponses } from '../problem';
import { createRouter } from '../router';
import { wakeEndpoints } from '../webhooks/webhooks.wake';

const erasePerson = createRoute({
  method: 'delete',
  path: '/v1/people',
  tags: ['People'],
  summary:
    'Erase a person from every event of the organization (names, profile, tokens, history); keeps only counts',
  request: { query: z.object({ email: z.string().trim().min(3).max(320) }) },
  responses: {
    200: {
      description: 'What was erased',
      content: {
        'application/json': {
          schema: z
            .object({
              erased: z.object({
                attendees: z.number().int(),
                events: z.number().int(),
                importRows: z.number().int(),
              }),
            })
            .openapi('Erasure'),
        },
      },
    },
    ...problemResponses(401, 422),
  },
});

export const peopleRouter = createRouter().openapi(erasePerson, async (c) => {
  const { deps, organizationId } = c.var;
  const key = emailKey(c.req.valid('query').email);
  const conn = deps.orm.em.fork().getConnection();
  type Row = { id: string; event_id: string; workflow_id: string };
  const person = personAttendeeIds(organizationId, key);
  const rows: Row[] = await conn.execute<Row[]>(
    `select id, event_id, workflow_id from attendees where id in (${person.sql})`,
    person.params,
  );
  // A running workflow erases its attendee and ends; one that ended (a retention period after its
  // event) has nothing to erase but its rows, deleted below. Then its histories, which hold the
  // address, are deleted: every earlier run's too.
  for (const workflowId of new Set(rows.map((r) => r.workflow_id))) {
    const runIds = new Set<string>();
    try {
      const handle = deps.temporal.workflow.getHandle(workflowId);
      const described = await handle.describe();
      runIds.add(described.runId);
      if (described.status.name === 'RUNNING') {
        await handle.executeUpdate(eraseUpdate);
        await handle.result();
      }
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError || error instanceof WorkflowUpdateFailedError))
        throw error;
    }
    if (runIds.size === 0) continue;
    for await (const run of deps.temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      if (run.status.name !== 'RUNNING') runIds.add(run.runId);
    }
    // By run id, so that a new invitation racing this erasure keeps its own workflow.
    for (const runId of runIds) {
      await deps.temporal.workflowService
        .deleteWorkflowExecution({
          namespace: deps.temporal.options.namespace,
          workflowExecution: { workflowId, runId },
        })
        .catch((error: unknown) => {
          // Deleted already (an earlier erasure, or the namespace's retention).
          if ((error as { code?: number }).code !== 5) throw error;
        });
    }
  }
  // Removed attendees of earlier invitations are no workflow's current attendee any more.
  const wakes: WebhookWakes = new Set();
  await eraseAttendees(deps.orm.em.fork(), { organizationId, emailKey: key }, wakes);
  await wakeEndpoints(deps, wakes);
  // Rows of bulk-import files keep the cells as uploaded: blank out the person's.
  const imported: { n: string }[] = await conn.execute<{ n: string }[]>(
    `with erased as (
       update import_rows r set email = null, first_name = null, last_name = null, company = null, title = null,
              email_key = null
         from imports i join events e on e.id = i.event_id
        where i.id = r.import_id and e.organization_id = ?
          and (r.email_key = ? or lower(trim(r.email)) = ?)
        returning 1)
     select count(*) as n from erased`,
    [organizationId, key, key],
  );
  // Stored idempotent answers may quote the address.
  await conn.execute(
    'delete from idempotency_records where organization_id = ? and strpos(lower(response_body::text), ?) > 0',
    [organizationId, key],
  );
  const erased = {
    attendees: rows.length,
    events: new Set(rows.map((r) => r.event_id)).size,
    importRows: Number(imported[0]?.n ?? 0),
  };
  await conn.execute(
    'insert into erasures (id, organization_id, at, attendees, events) values (?, ?, now(), ?, ?)',
    [randomUUID(), organizationId, erased.attendees, erased.events],
  );
  return c.json({ erased }, 200);
});
