import type { LoggerService, LogLevel } from '@nestjs/common';
import { pino, type Logger as Pino, type LoggerOptions } from 'pino';
import { requestScope } from './request-scope.js';
import { traceContextOf } from './tracing.js';

/** pino's level for each of Nest's. */
const PINO_LEVEL: Record<LogLevel, string> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/**
 * Nest's logger as JSON lines on stdout (pino): every line has the service, the Nest context,
 * `trace_id`/`span_id` of the active span (when tracing is on) and the request id (or the event
 * id) of the work it belongs to. `npm start` pretty-prints these lines (scripts/lib/apps.ts).
 */
export class JsonLogger implements LoggerService {
  private readonly pino: Pino;

  /** `destination`: where the lines go (stdout by default; a test passes a stream). */
  constructor(service: string, levels: LogLevel[] = ['fatal', 'error', 'warn', 'log'], destination?: NodeJS.WritableStream) {
    const options: LoggerOptions = {
      base: { service },
      level: lowestLevel(levels),
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: lineContext,
    };
    this.pino = destination ? pino(options, destination) : pino(options);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }
  /** Nest passes `(message, stack?, context?)`. */
  error(message: unknown, ...params: unknown[]): void {
    const [stack, context] =
      params.length >= 2 ? params : typeof params[0] === 'string' && params[0].includes('\n    at ') ? [params[0]] : [undefined, params[0]];
    this.write('error', message, [context], typeof stack === 'string' ? stack : undefined);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.pino.level = lowestLevel(levels);
  }

  private write(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', message: unknown, params: unknown[], stack?: string): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const context = typeof params[params.length - 1] === 'string' ? (params[params.length - 1] as string) : undefined;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    if (stack) fields.stack = stack;
    if (message instanceof Error) {
      fields.err = { type: message.name, message: message.message, stack: message.stack };
      this.pino[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...(message as object) });
    } else {
      this.pino[level](fields, String(message));
    }
  }
}

function lowestLevel(levels: LogLevel[]): string {
  const order = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
  const enabled = levels.map((l) => PINO_LEVEL[l]).filter(Boolean);
  return enabled.length === 0 ? 'silent' : order.find((l) => enabled.includes(l))!;
}

/** The fields every line gets from where it is logged: the active span and the request or event being handled. */
function lineContext(): Record<string, string> {
  const fields: Record<string, string> = {};
  const spanContext = traceContextOf();
  if (spanContext) {
    fields.trace_id = spanContext.traceId;
    fields.span_id = spanContext.spanId;
  }
  const scope = requestScope.getStore();
  if (scope?.requestId) fields.request_id = scope.requestId;
  if (scope?.eventId) fields.event_id = scope.eventId;
  return fields;
}
