/** `npm run email:preview`: serves every email in every language on http://localhost:3001 (EMAIL_PREVIEW_PORT). */
import { serve } from '@hono/node-server';
import { createEmailPreviewApp } from '../emails/preview';

const port = Number(process.env.EMAIL_PREVIEW_PORT ?? 3001);
serve({ fetch: createEmailPreviewApp().fetch, port, hostname: '127.0.0.1' }, () =>
  console.log(`Roster's emails, every template in every language: http://localhost:${port}/`),
);
