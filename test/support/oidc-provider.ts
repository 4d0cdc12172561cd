import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Adapter, type AdapterPayload, type KoaContextWithOIDC } from 'oidc-provider';

/** In-memory storage of the OP's artifacts (codes, sessions, grants), one map per test provider. */
function memoryAdapter() {
  const store = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const live = (key: string) => {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt < Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  return class MemoryAdapter implements Adapter {
    constructor(private readonly model: string) {}
    private key(id: string) {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      store.set(this.key(id), { payload, expiresAt: Date.now() + (expiresIn ?? 3600) * 1000 });
    }
    async find(id: string) {
      return live(this.key(id));
    }
    async findByUid(uid: string) {
      for (const [key, { payload }] of store) {
        if (key.startsWith(`${this.model}:`) && payload.uid === uid) return live(key);
      }
      return undefined;
    }
    async findByUserCode(userCode: string) {
      for (const [key, { payload }] of store) {
        if (key.startsWith(`${this.model}:`) && payload.userCode === userCode) return live(key);
      }
      return undefined;
    }
    async consume(id: string) {
      const entry = store.get(this.key(id));
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, { payload }] of store) if (payload.grantId === grantId) store.delete(key);
    }
  };
}

/**
 * A real OpenID Provider (panva/oidc-provider) in process on 127.0.0.1, standing in for Okta or
 * Entra ID. Accounts are set by the test (`accounts.set(id, claims)`); the login page is replaced
 * by `/interaction/:uid?account=<id>`, which signs that account in, and consent is implied.
 */
export async function startOidcProvider(options: {
  redirectPrefix: string;
  clientId?: string;
  clientSecret?: string;
}) {
  const clientId = options.clientId ?? 'roster';
  const clientSecret = options.clientSecret ?? `secret-${crypto.randomUUID()}`;
  const accounts = new Map<string, Record<string, unknown>>();

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${options.redirectPrefix}/placeholder/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: ['test-cookie-key'] },
    adapter: memoryAdapter(),
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username', 'groups'],
    },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    async findAccount(_ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          return { ...(accounts.get(sub) ?? {}), sub };
        },
      };
    },
    // Consent is implied: the relying party is the organization's own application.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const existing =
        ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client?.clientId ?? '');
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client?.clientId,
        accountId: ctx.oidc.session?.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  // Like Okta's wildcard redirect URIs: any event's callback of the API under test.
  provider.Client.prototype.redirectUriAllowed = (uri: string) =>
    uri.startsWith(`${options.redirectPrefix}/`) && uri.endsWith('/callback');

  const callback = provider.callback();
  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    if (!url.pathname.startsWith('/interaction/')) return callback(req, res);
    try {
      const account = url.searchParams.get('account');
      if (!account) {
        res.writeHead(400).end('?account= is required');
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type OidcProvider = Awaited<ReturnType<typeof startOidcProvider>>;

/** A cookie jar per origin, enough for a browser's walk through the redirects. */
class Jar {
  private readonly cookies = new Map<string, Map<string, string>>();
  store(url: string, res: Response) {
    const origin = new URL(url).origin;
    const jar = this.cookies.get(origin) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(origin, jar);
  }
  header(url: string) {
    const jar = this.cookies.get(new URL(url).origin);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }
  forget(url: string) {
    this.cookies.delete(new URL(url).origin);
  }
}

/** A browser: follows nothing by itself, keeps cookies, lets the test step through the redirects. */
export function browser() {
  const jar = new Jar();
  async function get(url: string, headers: Record<string, string> = {}) {
    const cookie = jar.header(url);
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...headers },
    });
    jar.store(url, res);
    const location = res.headers.get('location');
    return { res, status: res.status, location: location ? new URL(location, url).href : null };
  }
  return { get, jar };
}

export type Browser = ReturnType<typeof browser>;

/**
 * The walk to the IdP and back: /start on the API → the OP's authorization endpoint → its login
 * (as `account`) → back to the OP → the callback URL on the API. Answers the callback URL without
 * calling it, so a test can replay or tamper with it. `tamper` may rewrite the authorization URL.
 */
export async function signInAtProvider(
  b: Browser,
  startUrl: string,
  account: string,
  tamper: (authorizationUrl: URL) => URL = (u) => u,
) {
  const start = await b.get(startUrl);
  if (start.status !== 302 || !start.location) throw new Error(`start answered ${start.status}`);
  const authorization = tamper(new URL(start.location));
  let step = await b.get(authorization.href);
  for (let i = 0; i < 5 && step.location && !step.location.includes('/v1/sso/'); i++) {
    const next = new URL(step.location);
    if (next.pathname.startsWith('/interaction/')) next.searchParams.set('account', account);
    step = await b.get(next.href);
  }
  if (!step.location?.includes('/callback')) throw new Error(`the OP did not come back: ${step.status}`);
  return step.location;
}

/** A whole SSO login as a JSON client: /start, the OP (as `account`), /callback. */
export async function ssoLogin(apiBase: string, eventId: string, account: string) {
  const b = browser();
  const callbackUrl = await signInAtProvider(b, `${apiBase}/v1/sso/${eventId}/start`, account);
  const res = await b.get(callbackUrl, { accept: 'application/json' });
  const text = await res.res.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as any };
}
