/**
 * What one invite costs: CPU time of each process (Linux /proc), a workflow's history and its
 * Temporal Cloud actions, PostgreSQL rows. Used by bench/run.ts's `cost` section.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import protos from '@temporalio/proto';
import type pg from 'pg';

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU time of a process (all its threads) in ms, or null once it is gone. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state is field 3, utime 14 and stime 15 (man 5 proc).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** The Temporal dev server listening on `port`, found by its command line (other runs have their own). */
export function temporalServerPid(port: string): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes('start-dev') && args[args.indexOf('--port') + 1] === port) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

/**
 * PostgreSQL's processes that work for this bench: the backends of its database and the
 * server's own helpers (WAL writer, checkpointer, …), not the backends of other databases.
 */
export async function postgresPids(db: pg.Pool): Promise<number[]> {
  const res = await db.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database() or datname is null',
  );
  return res.rows.map((r) => r.pid);
}

/**
 * CPU time per group of processes since `start()`. Groups are re-read every second, so
 * backends that open during the run are counted from their birth; a process that exits loses
 * at most its last second.
 */
export function cpuMeter(groups: () => Promise<Record<string, number[]>>) {
  const base = new Map<number, number>();
  const last = new Map<number, { group: string; ms: number }>();
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  const sample = async () => {
    for (const [group, pids] of Object.entries(await groups())) {
      for (const pid of pids) {
        const ms = cpuMs(pid);
        if (ms === null) continue;
        if (!base.has(pid)) base.set(pid, started ? 0 : ms);
        last.set(pid, { group, ms });
      }
    }
  };
  return {
    async start() {
      await sample();
      started = true;
      timer = setInterval(() => void sample().catch(() => {}), 1000);
      timer.unref();
    },
    /** Milliseconds of CPU per group since start(). */
    async read(): Promise<Record<string, number>> {
      await sample();
      const totals: Record<string, number> = {};
      for (const [pid, { group, ms }] of last)
        totals[group] = (totals[group] ?? 0) + ms - (base.get(pid) ?? 0);
      return totals;
    },
    stop() {
      clearInterval(timer);
    },
  };
}

const EventType = protos.temporal.api.enums.v1.EventType;

/**
 * History events that Temporal Cloud bills as an action (docs.temporal.io/cloud/actions):
 * a start (client, continue-as-new, child), a signal, an accepted update, an activity scheduled
 * (its retries count again, as ActivityTaskStarted with attempt > 1, counted below), a timer,
 * a search-attribute upsert, a signal or cancel sent to another workflow, a local-activity marker.
 */
const ACTION_EVENTS = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  EventType.EVENT_TYPE_TIMER_STARTED,
  EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
  EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
  EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
]);

/** One workflow run's history: events (by type), encoded size, workflow tasks and billable actions. */
export async function historyCost(client: Client, workflowId: string, runId?: string) {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const events = history.events ?? [];
  const byType: Record<string, number> = {};
  let actions = 0;
  for (const event of events) {
    const type = Number(event.eventType);
    const name = (EventType[type] ?? String(type)).replace('EVENT_TYPE_', '').toLowerCase();
    byType[name] = (byType[name] ?? 0) + 1;
    if (ACTION_EVENTS.has(type)) actions += 1;
    const marker = event.markerRecordedEventAttributes?.markerName;
    if (marker) byType[`marker_${marker}`] = (byType[`marker_${marker}`] ?? 0) + 1;
    if (marker === 'core_local_activity') actions += 1;
    if (type === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
      actions += Math.max(0, (event.activityTaskStartedEventAttributes?.attempt ?? 1) - 1);
    }
  }
  return {
    events: events.length,
    bytes: protos.temporal.api.history.v1.History.encode(history).finish().length,
    workflowTasks: byType.workflow_task_completed ?? 0,
    actions,
    byType,
  };
}
