import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { failureProblem, workflowNotFound } from '../../api/shared/failures';
import { FailureType, failureOf } from '../../domain/errors';
import { hashSecret, newToken } from '../../domain/secrets';

describe('newToken and hashSecret', () => {
  it('makes 256-bit URL-safe tokens, each different, with an optional prefix', () => {
    const a = newToken();
    expect(a).toMatch(/^[\w-]{43}$/);
    expect(newToken()).not.toBe(a);
    expect(newToken('scim_')).toMatch(/^scim_[\w-]{43}$/);
  });

  it('stores a secret as its sha256 in hex, the form every table of secrets holds', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

const business = (type: string, message = 'refused') =>
  ApplicationFailure.create({ type, message, nonRetryable: true });

describe('failureOf', () => {
  it('finds the business failure inside an update failure and inside an activity failure', () => {
    const update = new WorkflowUpdateFailedError('update failed', business(FailureType.duplicateEmail));
    expect(failureOf(update)).toEqual({ type: 'duplicate_email', message: 'refused' });
    const activity = new ActivityFailure(
      'failed',
      'recordInvite',
      'a1',
      RetryState.NON_RETRYABLE_FAILURE,
      undefined,
      business(FailureType.eventGone),
    );
    expect(failureOf(new WorkflowUpdateFailedError('x', activity))?.type).toBe('event_gone');
  });

  it('answers null for a failure type that is not ours and for plain errors', () => {
    expect(failureOf(new WorkflowUpdateFailedError('x', business('SomethingElse')))).toBeNull();
    expect(failureOf(new Error('boom'))).toBeNull();
    expect(failureOf(undefined)).toBeNull();
  });
});

describe('the failure table', () => {
  it('maps every business failure a client caused to its status and problem code', () => {
    const answer = (type: string) => {
      const p = failureProblem(new WorkflowUpdateFailedError('x', business(type, 'why')));
      return p && { status: p.status, code: p.code, detail: p.message };
    };
    expect(answer(FailureType.duplicateEmail)).toEqual({
      status: 409,
      code: 'duplicate_email',
      detail: 'why',
    });
    expect(answer(FailureType.actionNotAllowed)).toEqual({
      status: 409,
      code: 'action_not_allowed',
      detail: 'why',
    });
    expect(answer(FailureType.notFound)).toEqual({ status: 404, code: 'not_found', detail: 'why' });
    // Not the client's doing: a 500 by the app's error handler.
    expect(answer(FailureType.emailRejected)).toBeNull();
    expect(answer(FailureType.inviteFailed)).toBeNull();
  });

  it('answers 404 for a workflow that does not exist', () => {
    expect(workflowNotFound(new WorkflowNotFoundError('gone', 'w', undefined), 'The attendee')?.status).toBe(
      404,
    );
    expect(workflowNotFound(new Error('x'), 'The attendee')).toBeNull();
  });
});
