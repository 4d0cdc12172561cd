import { createRoute, z } from '@hono/zod-openapi';
import { IMPORT_STATUSES } from '../../db/entities/import.entity';
import { ROLES } from '../../domain/attendee-lifecycle';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, PREVIEW_ROWS, REPORT_MAX_ERRORS } from '../../domain/csv-import';
import { problemResponses } from '../problem';
import { IdParam, json, LanguageSchema, ListQuery, pageOf } from '../schemas';

export const ROW_ERROR_CODES = [
  'missing_field',
  'invalid_email',
  'email_special_characters',
  'email_domain_typo',
  'duplicate_in_file',
  'already_invited',
  'invalid_language',
  'invalid_role',
  'field_too_long',
  'invalid_characters',
  'profile_needs_role',
  'outside_idp_groups',
] as const;

const count = z.number().int().min(0);

export const ImportTotals = z
  .object({
    rows: count.openapi({ description: 'Data rows in the file (blank lines not counted).' }),
    valid: count,
    invalid: count.openapi({ description: 'Rows with at least one error; none of them is invited.' }),
    duplicateInFile: count,
    alreadyInvited: count,
  })
  .openapi('ImportTotals');

export const ImportProgress = z
  .object({
    processed: count.openapi({ description: 'Valid rows fully handled by the start.' }),
    invited: count.openapi({ description: 'Attendees this import created.' }),
    emailed: count.openapi({ description: 'Invitation emails Postmark accepted.' }),
    failed: count.openapi({
      description: 'Invitation emails refused for good (inactive recipient, invalid address).',
    }),
    skipped: count.openapi({
      description:
        'Rows not invited: the address was invited by other means between the check and the start, or (closed events that admit only their IdP groups) the person is outside the granted groups as the rule stands when the row is invited.',
    }),
  })
  .openapi('ImportProgress');

export const ImportSchema = z
  .object({
    id: z.uuid(),
    eventId: z.uuid(),
    status: z.enum(IMPORT_STATUSES),
    sendEmail: z.boolean().nullable().openapi({ description: 'As given to the start; null before it.' }),
    totals: ImportTotals,
    progress: ImportProgress,
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Import');

export const RowErrorSchema = z
  .object({
    row: z.number().int().openapi({ description: 'The line number in the file; the header is line 1.' }),
    column: z.string(),
    code: z.enum(ROW_ERROR_CODES),
    message: z.string(),
  })
  .openapi('ImportRowError');

export const PreviewRowSchema = z
  .object({
    row: z.number().int(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    company: z.string().nullable(),
    title: z.string().nullable(),
    language: LanguageSchema.openapi({ description: "The row's language, or the event's default." }),
    roles: z.array(z.enum(ROLES)),
  })
  .openapi('ImportPreviewRow');

export const ImportReportSchema = ImportSchema.extend({
  errors: z.array(RowErrorSchema).openapi({
    description: `The row errors in file order, at most ${REPORT_MAX_ERRORS}; errors.csv has all of them.`,
  }),
  errorCount: count,
  errorsTruncated: z.boolean(),
  preview: z.array(PreviewRowSchema).openapi({ description: `The first ${PREVIEW_ROWS} valid rows.` }),
}).openapi('ImportReport');

export const StartImportBody = z
  .object({
    sendEmail: z.boolean().default(true).openapi({ description: 'false: invite without any email.' }),
    notifyEmail: z
      .string()
      .max(254)
      .optional()
      .openapi({ description: 'Where the import_finished email goes when the import ends.' }),
    pageSize: z
      .number()
      .int()
      .min(1)
      .max(500)
      .default(500)
      .openapi({ description: 'Rows per page of the fan-out (and per Postmark batch call).' }),
  })
  .openapi('StartImport');

const csv = (description: string) => ({
  description,
  content: { 'text/csv': { schema: { type: 'string' as const } } },
});

const EventParams = z.object({ eventId: IdParam('eventId') });
const ImportParams = z.object({ eventId: IdParam('eventId'), importId: IdParam('importId') });

export const getTemplate = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/imports/template.csv',
  tags: ['Bulk invite'],
  summary: 'The CSV template: the header and two example rows',
  request: { params: EventParams },
  responses: { 200: csv('The template'), ...problemResponses(401, 404, 422) },
});

export const uploadImport = createRoute({
  method: 'post',
  path: '/v1/events/{eventId}/imports',
  tags: ['Bulk invite'],
  summary: 'Upload a CSV file and get the check-your-file report (nobody is invited yet)',
  description: `The body is the file (text/csv) or multipart/form-data with the field \`file\`. UTF-8 only
(a byte-order mark is fine). Header names match case-insensitively, ignoring spaces and \`_\`; a header
separated by \`;\` or tabs is read as such. At most ${MAX_IMPORT_ROWS.toLocaleString('en')} rows and
${MAX_IMPORT_BYTES / 1024 / 1024} MiB. File-level errors answer 422 (\`not_utf8\`, \`missing_columns\`,
\`duplicate_columns\`, \`empty_file\`, \`too_many_rows\`, \`invalid_csv\`) or 413 (\`file_too_large\`).`,
  request: {
    params: EventParams,
    // Plain OpenAPI schemas, not zod: the body is streamed by the handler, never parsed up front.
    body: {
      required: true,
      content: {
        'text/csv': { schema: { type: 'string', format: 'binary' } },
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: { file: { type: 'string', format: 'binary' } },
            required: ['file'],
          },
        },
      },
    },
  },
  responses: {
    201: json(ImportReportSchema, 'The check-your-file report'),
    ...problemResponses(400, 401, 404, 413, 415, 422),
  },
});

export const ImportPage = pageOf(ImportSchema, 'ImportPage');

export const listImports = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/imports',
  tags: ['Bulk invite'],
  summary: 'The event’s imports, newest first: their status, totals and progress',
  description: 'The reports (row errors and preview) are on each import’s own GET.',
  request: { params: EventParams, query: z.object(ListQuery) },
  responses: { 200: json(ImportPage, 'A page of imports'), ...problemResponses(400, 401, 404, 422) },
});

export const getImport = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/imports/{importId}',
  tags: ['Bulk invite'],
  summary: 'The import: its report, status and progress',
  request: { params: ImportParams },
  responses: { 200: json(ImportReportSchema, 'The import'), ...problemResponses(401, 404, 422) },
});

export const startImport = createRoute({
  method: 'post',
  path: '/v1/events/{eventId}/imports/{importId}/start',
  tags: ['Bulk invite'],
  summary: 'Invite every valid row, durably (a second call starts nothing more)',
  request: {
    params: ImportParams,
    body: { content: { 'application/json': { schema: StartImportBody } }, required: false },
  },
  responses: { 202: json(ImportSchema, 'The import, running'), ...problemResponses(401, 404, 409, 422) },
});

export const cancelImport = createRoute({
  method: 'post',
  path: '/v1/events/{eventId}/imports/{importId}/cancel',
  tags: ['Bulk invite'],
  summary: 'Stop an import; whoever is invited stays invited',
  request: { params: ImportParams },
  responses: { 200: json(ImportSchema, 'The import, cancelled'), ...problemResponses(401, 404, 409, 422) },
});

export const importEvents = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/imports/{importId}/events',
  tags: ['Bulk invite'],
  summary: 'The import’s progress as server-sent events, until it ends',
  description: `A \`text/event-stream\`: an \`import\` event with the import (the Import schema) at once and
whenever its status or progress changes (checked every half second), then, once it is completed, cancelled
or failed, a last \`finished\` event with the final import, and the stream ends. A comment line every 15 s
keeps proxies from closing a quiet stream. Reconnecting is always safe: the first event is the current state.`,
  request: { params: ImportParams },
  responses: {
    200: {
      description: 'The event stream',
      content: { 'text/event-stream': { schema: { type: 'string' as const } } },
    },
    ...problemResponses(401, 404, 422),
  },
});

export const getErrorsCsv = createRoute({
  method: 'get',
  path: '/v1/events/{eventId}/imports/{importId}/errors.csv',
  tags: ['Bulk invite'],
  summary: 'Every row error as CSV (row, column, code, message, value), safe to open in a spreadsheet',
  request: { params: ImportParams },
  responses: { 200: csv('The row errors'), ...problemResponses(401, 404, 422) },
});
