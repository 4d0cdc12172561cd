import { render } from '@react-email/render';
import { createElement, type FunctionComponent } from 'react';
import { CustomMessageEmail, type Props as CustomMessageProps, customMessageSubject } from './custom-message';
import {
  ImportFinishedEmail,
  type Props as ImportFinishedProps,
  importFinishedSubject,
} from './import-finished';
import { InvitationEmail, type Props as InvitationProps, invitationSubject } from './invitation';
import { LoginLinkEmail, type Props as LoginLinkProps, loginLinkSubject } from './login-link';
import {
  RegistrationConfirmationEmail,
  type Props as RegistrationConfirmationProps,
  registrationConfirmationSubject,
} from './registration-confirmation';
import { ReminderEmail, type Props as ReminderProps, reminderSubject } from './reminder';

/** Props of each email, keyed by the Postmark `kind` it is sent as. Add a kind here and in `TEMPLATES`. */
export type EmailProps = {
  invitation: InvitationProps;
  registration_confirmation: RegistrationConfirmationProps;
  login_link: LoginLinkProps;
  reminder: ReminderProps;
  import_finished: ImportFinishedProps;
  /** An organizer-written message (a bulk `send_message`, or a reminder rule's own text). */
  message: CustomMessageProps;
};

export type EmailName = keyof EmailProps;

export type RenderedEmail = { subject: string; html: string; text: string };

type Template<P> = { component: FunctionComponent<P>; subject: (props: P) => string };

// The mapped type lets `TEMPLATES[name]` keep its link to `EmailProps[name]`.
const TEMPLATES: { [N in EmailName]: Template<EmailProps[N]> } = {
  invitation: { component: InvitationEmail, subject: invitationSubject },
  registration_confirmation: {
    component: RegistrationConfirmationEmail,
    subject: registrationConfirmationSubject,
  },
  login_link: { component: LoginLinkEmail, subject: loginLinkSubject },
  reminder: { component: ReminderEmail, subject: reminderSubject },
  import_finished: { component: ImportFinishedEmail, subject: importFinishedSubject },
  message: { component: CustomMessageEmail, subject: customMessageSubject },
};

// html-to-text upper-cases headings by default, which would shout user-typed names in the text part.
const KEEP_HEADING_CASE = ['h1', 'h2', 'h3'].map((selector) => ({ selector, options: { uppercase: false } }));

export async function renderEmail<N extends EmailName>(
  name: N,
  props: EmailProps[N],
): Promise<RenderedEmail> {
  const template: Template<EmailProps[N]> = TEMPLATES[name];
  const element = createElement(template.component, props);
  const [html, text] = await Promise.all([
    render(element),
    render(element, { plainText: true, htmlToTextOptions: { selectors: KEEP_HEADING_CASE } }),
  ]);
  return { subject: template.subject(props), html, text };
}
