import { createRosterClient, type RosterClient } from '../client';

/** What the exit code tells a script (README, "Command-line tool"). */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  /** Roster answered with a 4xx problem: the request itself is wrong (not found, conflict, invalid). */
  refused: 3,
  /** Roster could not be reached, or answered 5xx: trying again later may work. */
  unavailable: 4,
  /** The import finished, but some rows were not invited (errors in the file, or rows that failed). */
  partial: 5,
  /** Nothing was done: the person said no, or the import was cancelled or failed. */
  notDone: 6,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly problem?: unknown,
  ) {
    super(message);
  }
}

export interface Connection {
  client: RosterClient;
  baseUrl: string;
  apiKey: string;
}

export function connect(url: string | undefined, apiKey: string | undefined): Connection {
  const baseUrl = url ?? process.env.ROSTER_URL ?? 'http://localhost:3000';
  const key = apiKey ?? process.env.ROSTER_API_KEY;
  if (!key) throw new CliError('No API key: set ROSTER_API_KEY or pass --api-key.', EXIT.usage);
  return { client: createRosterClient({ baseUrl, apiKey: key }), baseUrl, apiKey: key };
}

interface Problem {
  status?: number;
  code?: string;
  detail?: string;
  title?: string;
  errors?: { path?: string; code?: string; message?: string }[];
}

/** The problem document of a refused request as one readable message. */
export function problemMessage(problem: Problem): string {
  const head =
    `${problem.status ?? ''} ${problem.code ?? ''}: ${problem.detail ?? problem.title ?? 'refused'}`.trim();
  const fields = (problem.errors ?? []).map((e) => `  ${e.path || '(body)'}: ${e.message ?? e.code}`);
  return [head, ...fields].join('\n');
}

/** The answer's data, or a CliError with the exit code its status means. */
export async function call<T>(
  request: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: Awaited<typeof request>;
  try {
    result = await request;
  } catch (error) {
    throw new CliError(`Roster cannot be reached: ${(error as Error).message}`, EXIT.unavailable);
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const problem = (typeof error === 'object' && error ? error : { status: response.status }) as Problem;
  throw new CliError(
    problemMessage({ status: response.status, ...problem }),
    response.status >= 500 ? EXIT.unavailable : EXIT.refused,
    problem,
  );
}
