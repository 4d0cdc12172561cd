/**
 * The attendee pages' own words, one catalog per language; a missing key is a compile error.
 * Button labels and sentences the emails already have come from the email catalogs instead
 * (emails/messages), so a page and its email say the same thing. `{event}` is the event's name.
 */
export type PageMessages = {
  /** Invitation page heading. */
  invitedTitle: string;
  sessions: string;
  firstName: string;
  lastName: string;
  company: string;
  jobTitle: string;
  email: string;
  /** After accepting on an event that asks to confirm the address, and after a registration. */
  checkEmailTitle: string;
  checkEmailBody: string;
  confirmTitle: string;
  loginTitle: string;
  loginBody: string;
  sendLink: string;
  linkSentBody: string;
  /** The page a login link opens: one button spends the token. */
  loginLandingBody: string;
  registerTitle: string;
  myPageTitle: string;
  status: string;
  statuses: {
    invited: string;
    registered: string;
    attended: string;
    sso_login: string;
    unregistered: string;
    blocked: string;
  };
  awaitingConfirmation: string;
  addToCalendar: string;
  unregister: string;
  unregisterTitle: string;
  unregisterBody: string;
  unregisterConfirm: string;
  back: string;
  logout: string;
  unregisteredTitle: string;
  unregisteredBody: string;
  expiredTitle: string;
  expiredBody: string;
  blockedTitle: string;
  blockedBody: string;
  closedTitle: string;
  closedBody: string;
  ssoTitle: string;
  ssoBody: string;
  ssoButton: string;
  notFoundTitle: string;
  notFoundBody: string;
  formExpiredTitle: string;
  formExpiredBody: string;
  tooManyTitle: string;
  tooManyBody: string;
  errorTitle: string;
  errorBody: string;
  /** The List-Unsubscribe page of bulk emails; `{email}` is the reader's address. */
  unsubscribeTitle: string;
  unsubscribeBody: string;
  unsubscribeConfirm: string;
  unsubscribedTitle: string;
  unsubscribedBody: string;
};
