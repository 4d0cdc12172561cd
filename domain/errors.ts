/**
 * Business failure types: the `type` of every `ApplicationFailure` a workflow or activity raises,
 * shared by workflows, activities and the API's error mapping (api/shared/failures.ts).
 */
export const FailureType = {
  duplicateEmail: 'duplicate_email',
  actionNotAllowed: 'action_not_allowed',
  notFound: 'not_found',
  emailRejected: 'email_rejected',
  /** The event of a bulk invite was deleted while it ran. */
  eventGone: 'event_gone',
  /** Recording an invite failed for a reason that is not a business rule. */
  inviteFailed: 'invite_failed',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

const TYPES = new Set<string>(Object.values(FailureType));

/**
 * The business failure a Temporal error carries, however deeply wrapped (an update's failure, an
 * activity's failure, a child's): the first `ApplicationFailure` in its causes whose type is ours.
 * Matched by name, so this stays free of the SDK and works in workflows, activities and the API.
 */
export function failureOf(error: unknown): { type: FailureType; message: string } | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const type = (current as { type?: unknown }).type;
    if (current.name === 'ApplicationFailure' && typeof type === 'string' && TYPES.has(type))
      return { type: type as FailureType, message: current.message };
    current = current.cause;
  }
  return null;
}
