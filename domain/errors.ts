/** Business failure types, shared by workflows, activities and the API's error mapping. */
export const FailureType = {
  duplicateEmail: 'duplicate_email',
  actionNotAllowed: 'action_not_allowed',
  notFound: 'not_found',
  emailRejected: 'email_rejected',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];
