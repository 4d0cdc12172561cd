import { z } from 'zod';
import { parseTrustedProxies } from '../api/client-address';
import { parseKeyring } from './payload-codec';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const optionalString = z.string().trim().optional();

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('roster'),
  // TLS to a Temporal cluster (config/temporal-connection.ts): on with any of the settings below.
  TEMPORAL_TLS: z.stringbool().optional(),
  // mTLS: the client certificate and its private key (PEM files), e.g. for Temporal Cloud.
  TEMPORAL_TLS_CERT: optionalString,
  TEMPORAL_TLS_KEY: optionalString,
  // The server's CA (PEM file) when it is not one the system trusts; the name to check it against.
  TEMPORAL_TLS_CA: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
  // A Temporal Cloud API key (instead of mTLS); implies TLS.
  TEMPORAL_API_KEY: optionalString,
  ROSTER_API_KEY: optionalString,
  POSTMARK_SERVER_TOKEN: optionalString,
  POSTMARK_WEBHOOK_TOKEN: optionalString,
  POSTMARK_API_URL: httpUrl.default('https://api.postmarkapp.com'),
  // A call unanswered this long counts as failed; what it sent is looked up before a retry.
  POSTMARK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
  // Bulk invitations, reminders and organizer messages on this Postmark broadcast stream, with
  // List-Unsubscribe (docs/deliverability.md); unset: every email on the transactional stream `outbound`.
  POSTMARK_BROADCAST_STREAM: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,29}$/, 'must be a Postmark message stream id (lowercase letters, digits, -)')
    .optional(),
  EMAIL_FROM: z.string().min(3).default('Roster <no-reply@roster.local>'),
  // Where email links point. Unset: this service's own attendee pages (PUBLIC_API_URL, else http://localhost:$PORT).
  EVENT_SITE_URL: httpUrl.optional(),
  // Where this API is reachable from browsers and IdPs (OIDC redirect URIs, SCIM locations); unset: the request's origin.
  PUBLIC_API_URL: httpUrl.optional(),
  ACCESS_SWEEP_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  // OIDC issuers over plain http or on loopback (a local test IdP) are for development only. Unset:
  // allowed only when NODE_ENV is development or test (npm start sets production). See allowInsecureIssuers.
  SSO_ALLOW_INSECURE_ISSUERS: z.stringbool().optional(),
  NODE_ENV: optionalString,
  ROSTER_DATA_DIR: z.string().min(1).default('.data'),
  PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  // Load balancers whose X-Forwarded-For is believed: comma-separated addresses or CIDRs; empty trusts none.
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((value, ctx) => {
      try {
        return parseTrustedProxies(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  API_KEY_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
  // A cached workflow costs ~0.3 MB (V8 and SDK core): a 10k import peaked at ~420 MB RSS with 200, ~520 with 500.
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2).max(1_000_000).default(200),
  // Days an attendee's workflow stays open after its event's end; later commands start it again from the row.
  ATTENDEE_WORKFLOW_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  // Temporal payload encryption: `id:base64key[,id:base64key...]`, the first encrypts, all decrypt.
  ROSTER_PAYLOAD_KEYS: optionalString.superRefine((value, ctx) => {
    if (!value) return;
    try {
      parseKeyring(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }),
  // Bearer token of the codec endpoint (/codec/decode) for the Temporal Web UI and CLI; unset: off.
  ROSTER_CODEC_TOKEN: z.string().trim().min(32, 'must be at least 32 characters').optional(),
  // Browser origins (the Temporal Web UI) allowed to call the codec endpoint.
  ROSTER_CODEC_CORS_ORIGINS: z
    .string()
    .default('http://localhost:8233,http://127.0.0.1:8233')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Log lines as JSON, or readable (pino-pretty); `auto`: readable when stdout is a terminal.
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  // Prometheus metrics of this process at :METRICS_PORT/metrics, a port of its own (keep it off the load balancer); unset: off.
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // The Temporal SDK's worker metrics (Prometheus), served by the SDK at `ip:port`; unset: off.
  WORKER_METRICS_ADDRESS: z
    .string()
    .trim()
    .regex(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/, 'must be ip:port, e.g. 0.0.0.0:9464')
    .optional(),
  // `start:worker`: /health and /ready on this port; unset: off.
  WORKER_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // On SIGTERM/SIGINT the API waits this long for requests in flight and open event streams.
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  // An OTLP/HTTP collector (e.g. http://localhost:4318): traces are exported there; unset: no tracing.
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  OTEL_SERVICE_NAME: z.string().trim().min(1).default('roster'),
  // Outgoing webhooks: endpoints on private, loopback or link-local addresses only when true (development, tests).
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.stringbool().default(false),
  // One delivery attempt (connect, send, answer) unanswered this long fails and is retried.
  WEBHOOK_ATTEMPT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  // The retry schedule: the first wait, doubling up to the maximum, for a window of hours.
  WEBHOOK_RETRY_INITIAL_MS: z.coerce.number().int().min(10).max(86_400_000).default(5_000),
  WEBHOOK_RETRY_MAX_INTERVAL_MS: z.coerce.number().int().min(10).max(86_400_000).default(3_600_000),
  WEBHOOK_RETRY_WINDOW_HOURS: z.coerce.number().positive().max(720).default(72),
  // An endpoint whose every attempt failed for this long is disabled (fractions allowed).
  WEBHOOK_DISABLE_AFTER_DAYS: z.coerce.number().positive().max(365).default(5),
});

export type Env = Omit<z.infer<typeof EnvSchema>, 'EVENT_SITE_URL'> & { EVENT_SITE_URL: string };

/** Whether OIDC issuers may use http or loopback addresses: SSO_ALLOW_INSECURE_ISSUERS, else NODE_ENV development/test. */
export const allowInsecureIssuers = (env: Pick<Env, 'SSO_ALLOW_INSECURE_ISSUERS' | 'NODE_ENV'>) =>
  env.SSO_ALLOW_INSECURE_ISSUERS ?? (env.NODE_ENV === 'development' || env.NODE_ENV === 'test');

/** Parses the environment once per process; fails fast naming every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // A variable set to an empty or blank value (`PORT=`) counts as unset and takes its default.
  const present = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  // The default follows the service's own address, so links work on any port.
  return {
    ...env,
    EVENT_SITE_URL: env.EVENT_SITE_URL ?? env.PUBLIC_API_URL ?? `http://localhost:${env.PORT}`,
  };
}
