import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../problem';
import { IdParam } from '../schemas';

const MatchClaimSchema = z.enum(['email', 'preferred_username']).openapi({
  description:
    'The claim a first login may match a directory user on (afterwards the IdP account stays bound to ' +
    'that user). `email`: the `email` claim, only with `email_verified: true`. `preferred_username`: for ' +
    'Entra ID, which sends no `email_verified`: its UPN, matched against the SCIM `userName` (a verified ' +
    'email is still accepted). See docs/sso.md.',
});

export const OidcSettingsBody = z
  .object({
    issuer: z.url().max(500).openapi({ example: 'https://example.okta.com' }),
    clientId: z.string().trim().min(1).max(300),
    clientSecret: z.string().min(1).max(4000).optional().openapi({
      description: 'Required the first time; omitted, the stored secret is kept. Never returned.',
    }),
    scopes: z
      .string()
      .trim()
      .max(500)
      .regex(/(^|\s)openid(\s|$)/, 'scopes must include openid')
      .default('openid email profile'),
    matchClaim: MatchClaimSchema.default('email'),
  })
  .openapi('OidcSettingsInput');

export const OidcSettingsSchema = z
  .object({
    issuer: z.string(),
    clientId: z.string(),
    clientSecretSet: z.literal(true),
    scopes: z.string(),
    matchClaim: MatchClaimSchema,
    redirectUriTemplate: z.string().openapi({
      description: 'Register one redirect URI per event with the IdP: replace {eventId}.',
      example: 'https://api.example.com/v1/sso/{eventId}/callback',
    }),
    updatedAt: z.string(),
  })
  .openapi('OidcSettings');

export const getOidcSettings = createRoute({
  method: 'get',
  path: '/v1/sso-settings',
  tags: ['Single sign-on'],
  summary: 'The organization’s OpenID Provider settings (the client secret is never returned)',
  responses: {
    200: { description: 'The settings', content: { 'application/json': { schema: OidcSettingsSchema } } },
    ...problemResponses(401, 404),
  },
});

export const putOidcSettings = createRoute({
  method: 'put',
  path: '/v1/sso-settings',
  tags: ['Single sign-on'],
  summary: 'Set the organization’s OpenID Provider: issuer, client id, client secret',
  request: { body: { content: { 'application/json': { schema: OidcSettingsBody } }, required: true } },
  responses: {
    200: { description: 'The settings', content: { 'application/json': { schema: OidcSettingsSchema } } },
    ...problemResponses(401, 422),
  },
});

export const deleteOidcSettings = createRoute({
  method: 'delete',
  path: '/v1/sso-settings',
  tags: ['Single sign-on'],
  summary: 'Remove the organization’s OpenID Provider settings',
  responses: { 204: { description: 'Removed' }, ...problemResponses(401, 404) },
});

const SsoAttendee = z
  .object({
    id: z.uuid(),
    eventId: z.uuid(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    language: z.string(),
    status: z.string(),
    detailedStatus: z.string(),
    chatTermsAgreed: z.boolean(),
  })
  .openapi('SsoAttendee');

const forbidden = {
  403: {
    description:
      'Authenticated, but not let in: `idp_user_inactive`, `outside_idp_groups`, `not_invited`, `sso_no_email`, ' +
      '`sso_email_unverified`, `sso_account_mismatch`.',
    content: {
      'application/problem+json': {
        schema: z.object({
          type: z.string(),
          title: z.string(),
          status: z.number(),
          detail: z.string(),
          code: z.string(),
        }),
      },
    },
  },
};

export const ssoStart = createRoute({
  method: 'get',
  path: '/v1/sso/{eventId}/start',
  tags: ['Single sign-on'],
  summary: 'Start an OpenID Connect login for an SSO event (redirects to the identity provider)',
  description:
    'Authorization code flow with PKCE (S256), state and nonce. Sets a short-lived cookie that binds the ' +
    'login to this browser; the callback needs it.',
  security: [],
  request: {
    params: z.object({ eventId: IdParam('eventId') }),
    query: z.object({
      loginHint: z.string().max(320).optional().openapi({ description: 'Passed to the IdP as login_hint.' }),
    }),
  },
  responses: {
    302: { description: 'To the identity provider’s authorization endpoint' },
    ...problemResponses(404, 409, 422, 429, 502),
  },
});

export const ssoCallback = createRoute({
  method: 'get',
  path: '/v1/sso/{eventId}/callback',
  tags: ['Single sign-on'],
  summary: 'Finish the OpenID Connect login: the person gets status sso_login and a session',
  description:
    'A browser (its `Accept` names `text/html`) is redirected (303) to `EVENT_SITE_URL/events/{eventId}/sso` ' +
    'with `#session=…&expiresAt=…` or `#error=<code>&error_description=…` in the fragment, which never ' +
    'reaches a server log. Any other client gets `{ session, expiresAt, attendee }` or a problem document.',
  security: [],
  request: {
    params: z.object({ eventId: IdParam('eventId') }),
    query: z.object({
      code: z.string().optional(),
      state: z.string().optional(),
      error: z.string().optional(),
      error_description: z.string().optional(),
      iss: z.string().optional(),
    }),
  },
  responses: {
    200: {
      description: 'Logged in (clients other than browsers)',
      content: {
        'application/json': {
          schema: z
            .object({ session: z.string(), expiresAt: z.string(), attendee: SsoAttendee })
            .openapi('SsoLogin'),
        },
      },
    },
    303: { description: 'To the event site, with the session or the error in the fragment (browsers)' },
    ...problemResponses(400, 401, 404, 409, 422, 502),
    ...forbidden,
  },
});
