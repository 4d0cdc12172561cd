import { WorkflowNotFoundError } from '@temporalio/client';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { FailureType, failureOf } from '../../domain/errors';
import { ProblemError } from '../problem';

/**
 * The one table from a workflow's business failure to the API's answer. A type mapped to null is
 * not the client's doing: it stays a 500. Typed over every FailureType, so a new one needs a row.
 */
const FAILURE_ANSWERS: Record<FailureType, { status: ContentfulStatusCode; code: string } | null> = {
  [FailureType.duplicateEmail]: { status: 409, code: 'duplicate_email' },
  [FailureType.actionNotAllowed]: { status: 409, code: 'action_not_allowed' },
  [FailureType.notFound]: { status: 404, code: 'not_found' },
  [FailureType.emailRejected]: null,
  [FailureType.eventGone]: { status: 404, code: 'not_found' },
  [FailureType.inviteFailed]: null,
};

/** The problem a Temporal error stands for (a workflow's business failure), or null. */
export function failureProblem(error: unknown): ProblemError | null {
  const failure = failureOf(error);
  const answer = failure ? FAILURE_ANSWERS[failure.type] : null;
  return failure && answer ? new ProblemError(answer.status, answer.code, failure.message) : null;
}

/** A workflow that does not exist (never started, or deleted by an erasure) is the resource's 404. */
export function workflowNotFound(error: unknown, what: string): ProblemError | null {
  return error instanceof WorkflowNotFoundError
    ? new ProblemError(404, 'not_found', `${what} was not found.`)
    : null;
}
