import { createHash } from 'node:crypto';

/**
 * One workflow per (event, address): racing invites of one address meet the same workflow.
 * The address is hashed so that no personal data sits in workflow ids or the Temporal UI.
 */
export function attendeeWorkflowId(eventId: string, emailKey: string): string {
  const digest = createHash('sha256').update(emailKey).digest('hex').slice(0, 32);
  return `attendee/${eventId}/${digest}`;
}
