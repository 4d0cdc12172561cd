/**
 * One logger per process (pino), also behind the Temporal SDK's runtime logger, so the worker's,
 * the workflows' and the activities' lines come out in the same format as the API's. JSON for
 * machines; readable lines (pino-pretty) when a person runs Roster in a terminal.
 */
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import pino, { type DestinationStream, type Level, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import type { Env } from '../config/env';
import { currentRequestId } from './request-context';

/** Paths pino blanks out: credentials never reach a log line, whoever logs them. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  ...['apiKey', 'token', 'serverToken', 'session', 'password', 'secret', 'authorization'].flatMap((key) => [
    key,
    `*.${key}`,
  ]),
];

/** Whether lines are written for a person (pino-pretty) rather than as JSON. */
export function readableLogs(format: Env['LOG_FORMAT'] | undefined, isTTY = process.stdout.isTTY === true) {
  return format === 'pretty' || ((format ?? 'auto') === 'auto' && isTTY);
}

export function createLogger(
  env: Pick<Env, 'LOG_LEVEL'> & Partial<Pick<Env, 'LOG_FORMAT'>>,
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level: env.LOG_LEVEL,
    redact: REDACTED_PATHS,
    // Every line written while a request runs names it, whoever writes it (and its trace, if traced).
    mixin: () => {
      const requestId = currentRequestId();
      const span = trace.getActiveSpan()?.spanContext();
      return {
        ...(requestId ? { requestId } : {}),
        ...(span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {}),
      };
    },
  };
  if (destination) return pino(options, destination);
  if (readableLogs(env.LOG_FORMAT)) {
    return pino(
      options,
      pretty({
        colorize: true,
        singleLine: true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname',
        // Written at once: lines logged just before process.exit are not lost.
        sync: true,
      }),
    );
  }
  // As pino() makes it by default (asynchronous writes to stdout), kept to be ended on exit.
  const stdout = pino.destination({ dest: 1, sync: false });
  const logger = pino(options, stdout);
  jsonDestinations.set(logger, stdout);
  return logger;
}

/** The stdout destination of each JSON logger made here, which `exitAfterLogs` ends. */
const jsonDestinations = new WeakMap<Logger, ReturnType<typeof pino.destination>>();

/**
 * Exits once every line logged so far is written. JSON lines go out asynchronously, and a
 * `flush` does not wait for a write already in flight (sonic-boom calls back at once), so a
 * loaded machine lost the last line; ending the destination waits for it. The exit comes in the
 * same turn as the end, so no line can be logged to the ended destination.
 */
export async function exitAfterLogs(logger: Logger, code: number): Promise<never> {
  const stdout = jsonDestinations.get(logger);
  if (!stdout) {
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    process.exit(code);
  }
  return new Promise<never>(() => {
    stdout.once('close', () => process.exit(code));
    // A destination that cannot end (stdout's reader gone: EPIPE) does not hold the exit.
    setTimeout(() => process.exit(code), 2_000);
    stdout.end();
  });
}

const LEVELS: Record<LogLevel, Level> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal SDK's Logger over pino, for `Runtime.install({ logger })`: the SDK's own lines,
 * Core's (forwarded), and every workflow's and activity's `log` calls with their attributes
 * (workflow and activity ids, the request id from workflows/interceptors.ts).
 */
export function temporalLogger(logger: Logger): TemporalLogger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const method = LEVELS[level] ?? 'info';
    if (!logger.isLevelEnabled(method)) return;
    if (!meta) {
      logger[method](message);
      return;
    }
    // pino serializes errors under `err`; the SDK passes them as `error`. An activity's task token
    // completes the activity for whoever holds it: it stays out of the logs.
    const { error, taskToken: _, ...rest } = meta as Record<string, unknown>;
    logger[method](error instanceof Error ? { ...rest, err: error } : rest, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
