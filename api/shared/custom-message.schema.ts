/**
 * The organizer-written message, as the reminder rules and the bulk actions take it: one schema,
 * so both answer the same 422s. The rules themselves are domain/custom-message.ts.
 */
import { z } from '@hono/zod-openapi';
import {
  type CustomMessage,
  isLanguageCode,
  isOneLine,
  isPlainText,
  MESSAGE_BODY_MAX,
  MESSAGE_RULES,
  MESSAGE_SUBJECT_MAX,
  unknownLanguageIssue,
} from '../../domain/custom-message';
import { LANGUAGE_CODES } from '../../domain/languages';

const Subject = z
  .string()
  .trim()
  .min(1, MESSAGE_RULES.subjectEmpty)
  .max(MESSAGE_SUBJECT_MAX, MESSAGE_RULES.subjectTooLong)
  .refine(isOneLine, MESSAGE_RULES.subjectNotOneLine)
  .openapi({
    description: `One line, 1 to ${MESSAGE_SUBJECT_MAX} characters (trimmed).`,
    example: 'Parking and arrival',
  });

const Body = z
  .string()
  .trim()
  .min(1, MESSAGE_RULES.bodyEmpty)
  .max(MESSAGE_BODY_MAX, MESSAGE_RULES.bodyTooLong)
  .refine(isPlainText, MESSAGE_RULES.bodyNotPlainText)
  .openapi({
    description:
      `Plain text, 1 to ${MESSAGE_BODY_MAX.toLocaleString('en')} characters (trimmed). A blank line starts a ` +
      'new paragraph, a line break stays a line break, and http(s) URLs become links; nothing else is ' +
      'interpreted (HTML and Markdown show as typed).',
    example: 'Doors open at 8:30.\n\nThe car park map: https://example.com/parking',
  });

export const MessageTextSchema = z.object({ subject: Subject, body: Body }).openapi('MessageText');

export const CustomMessageSchema = z
  .object({
    subject: Subject,
    body: Body,
    perLanguage: z
      .record(z.string(), MessageTextSchema)
      .superRefine((value, ctx) => {
        for (const code of Object.keys(value)) {
          if (isLanguageCode(code)) continue;
          ctx.addIssue({ code: 'custom', path: [code], message: unknownLanguageIssue(code).message });
        }
      })
      .optional()
      .openapi({
        description:
          `The text for readers of a language (keys: ${LANGUAGE_CODES.join(', ')}); everyone else gets the ` +
          'top-level subject and body. The email around it (greeting line, button, footer) is always in the ' +
          "reader's language.",
        example: { de: { subject: 'Parken und Anreise', body: 'Einlass ab 8:30 Uhr.' } },
      }),
    includeLoginLink: z
      .boolean()
      .optional()
      .openapi({
        description:
          "Add the reader's own way in (default false): a single-use login link for registered and " +
          'attended people of magic-link events, the invitation link for invited ones; none on SSO events.',
      }),
  })
  .openapi('CustomMessage', {
    description: "An organizer-written message, placed in Roster's email layout with the event's look.",
  });

/** The parsed message as the domain types it (the record's keys were checked to be language codes). */
export const toCustomMessage = (parsed: z.infer<typeof CustomMessageSchema>): CustomMessage =>
  parsed as CustomMessage;
