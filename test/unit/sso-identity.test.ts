import { describe, expect, it } from 'vitest';
import { identityFrom, subjectOf } from '../../api/sso/sso.identity';
import { issuerProblem } from '../../api/sso/sso.oidc';
import { allowInsecureIssuers } from '../../config/env';

const OKTA = 'https://example.okta.com';
const ENTRA = 'https://login.microsoftonline.com/7b1c0f3e-0000-4000-8000-000000000001/v2.0';

describe('identityFrom', () => {
  it('trusts the email claim only when email_verified is true', () => {
    expect(identityFrom(OKTA, 'email', { sub: 's', email: 'a@x.org', email_verified: true })).toMatchObject({
      trustedEmail: 'a@x.org',
      unverifiedEmail: false,
    });
    for (const email_verified of [false, undefined, 'false', 1, 'yes']) {
      expect(identityFrom(OKTA, 'email', { sub: 's', email: 'a@x.org', email_verified })).toMatchObject({
        trustedEmail: null,
        unverifiedEmail: true,
      });
    }
    expect(
      identityFrom(OKTA, 'email', { sub: 's', email: 'a@x.org', email_verified: 'true' }).trustedEmail,
    ).toBe('a@x.org');
  });

  it('never mixes the ID token’s email with userinfo’s email_verified', () => {
    const mixed = identityFrom(
      OKTA,
      'email',
      { sub: 's', email: 'claimed@x.org' },
      { email: 'other@x.org', email_verified: true },
    );
    expect(mixed.trustedEmail).toBeNull();
    const fromUserinfo = identityFrom(
      OKTA,
      'email',
      { sub: 's' },
      { email: 'a@x.org', email_verified: true },
    );
    expect(fromUserinfo.trustedEmail).toBe('a@x.org');
  });

  it('trusts preferred_username only when the settings say so', () => {
    const claims = { sub: 's', preferred_username: 'grace@corp.example' };
    expect(identityFrom(ENTRA, 'email', claims).trustedUsername).toBeNull();
    expect(identityFrom(ENTRA, 'preferred_username', claims).trustedUsername).toBe('grace@corp.example');
    // upn is never a match key.
    expect(identityFrom(ENTRA, 'preferred_username', { sub: 's', upn: 'x@corp' }).trustedUsername).toBeNull();
  });
});

describe('subjectOf', () => {
  it('is sub, except tid/oid on Entra ID issuers', () => {
    const claims = { sub: 'pairwise-sub', tid: 'tenant', oid: 'object' };
    expect(subjectOf(ENTRA, claims)).toBe('tenant/object');
    expect(subjectOf('https://sts.windows.net/tenant/', claims)).toBe('tenant/object');
    // Elsewhere oid is an ordinary claim, possibly one a user can set.
    expect(subjectOf(OKTA, claims)).toBe('pairwise-sub');
    expect(subjectOf(ENTRA, { sub: 'pairwise-sub' })).toBe('pairwise-sub');
  });
});

describe('issuerProblem', () => {
  it('accepts https issuers on public hosts in production', () => {
    expect(issuerProblem(OKTA, false)).toBeNull();
    expect(issuerProblem(ENTRA, false)).toBeNull();
  });

  it('refuses http and loopback issuers in production, in any spelling', () => {
    for (const issuer of [
      'http://idp.example.com',
      'http://127.0.0.1:8080',
      'https://localhost',
      'https://LOCALHOST./x',
      'https://idp.localhost',
      'https://127.0.0.1',
      'https://127.1.2.3',
      'https://2130706433',
      'https://0x7f.1',
      'https://0.0.0.0',
      'https://[::1]',
      'https://[::ffff:127.0.0.1]',
      'https://[::]',
    ]) {
      expect(issuerProblem(issuer, false), issuer).not.toBeNull();
    }
  });

  it('accepts http and loopback issuers in development only', () => {
    expect(issuerProblem('http://127.0.0.1:8080', true)).toBeNull();
    expect(issuerProblem('http://keycloak:8080/realms/dev', true)).toBeNull();
    expect(issuerProblem('ftp://idp.example.com', true)).not.toBeNull();
  });

  it('refuses credentials, queries and fragments', () => {
    for (const issuer of [
      'https://u:p@idp.example.com',
      'https://idp.example.com/?a=1',
      'https://idp.example.com/#x',
    ]) {
      expect(issuerProblem(issuer, true), issuer).not.toBeNull();
    }
  });
});

describe('allowInsecureIssuers', () => {
  it('is off unless NODE_ENV is development or test, and the setting wins', () => {
    expect(allowInsecureIssuers({ NODE_ENV: 'production' })).toBe(false);
    expect(allowInsecureIssuers({})).toBe(false);
    expect(allowInsecureIssuers({ NODE_ENV: 'development' })).toBe(true);
    expect(allowInsecureIssuers({ NODE_ENV: 'test' })).toBe(true);
    expect(allowInsecureIssuers({ NODE_ENV: 'production', SSO_ALLOW_INSECURE_ISSUERS: true })).toBe(true);
    expect(allowInsecureIssuers({ NODE_ENV: 'development', SSO_ALLOW_INSECURE_ISSUERS: false })).toBe(false);
  });
});
