import { writeSync } from 'node:fs';
import type { LoggerService, LogLevel } from '@nestjs/common';
import { pino, type DestinationStream, type Logger as Pino, type LoggerOptions } from 'pino';
import { currentScope } from './request-scope.js';
import { traceContextOf } from './tracing.js';

/** pino's level for each of Nest's. */
const PINO_LEVEL: Record<LogLevel, string> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/**
 * Nest's logger as JSON lines on stdout (pino): every line has the service, the Nest context,
 * `trace_id`/`span_id` of the active span (when tracing is on) and the request id (or the event
 * id) of the work it belongs to. `npm start` pretty-prints these lines (scripts/lib/apps.ts).
 *
 * Lines are written to stdout in batches, one write per event-loop turn (batchedLogDestination):
 * one write per line was ~8 % of the gateway's CPU under load, since every request writes an access line.
 */
export class JsonLogger implements LoggerService {
  private readonly pino: Pino;

  /** `destination`: where the lines go (stdout by default; a test passes a stream). */
  constructor(service: string, levels: LogLevel[] = ['fatal', 'error', 'warn', 'log'], destination?: DestinationStream) {
    const options: LoggerOptions = {
      base: { service },
      level: lowestLevel(levels),
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: lineContext,
    };
    this.pino = pino(options, destination ?? batchedLogDestination());
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

/** The batched writer of each file descriptor: one per process and descriptor, so lines never interleave. */
const batchedDestinations = new Map<number, BatchedLogDestination>();

/**
 * stdout (or another file descriptor) with one write(2) per event-loop turn instead of one per
 * line: under load, the access lines of all the requests answered in a turn go out together.
 * The writes stay synchronous, on the main thread, as before: pino's asynchronous writer would put
 * them on libuv's thread pool, which the stores' drivers, DNS and crypto share (a write blocked on a
 * full pipe would hold a worker), and a full pipe still holds the process back as it always did.
 *
 * What a crash can lose: the lines of the turn being run (at most BATCH_BYTES; a batch that grows
 * past it is written at once). `process.exit`, an uncaught exception and a normal exit write them
 * ('exit' handler); SIGTERM/SIGINT go through Nest's shutdown hooks, which the apps enable with
 * `useProcessExit`, so they end in 'exit' too. Only a death the process does not see (SIGKILL, the
 * OOM killer, a native crash) loses that last turn's lines.
 */
export function batchedLogDestination(fd = 1): BatchedLogDestination {
  let destination = batchedDestinations.get(fd);
  if (!destination) {
    destination = new BatchedLogDestination(fd);
    batchedDestinations.set(fd, destination);
  }
  return destination;
}

/** Lines held together up to this size (characters); a larger batch is written at once. */
const BATCH_BYTES = 32 * 1024;

export class BatchedLogDestination {
  private held: string[] = [];
  private heldBytes = 0;
  private flushScheduled = false;

  constructor(private readonly fd: number) {
    process.once('exit', () => this.flush());
  }

  /** pino's stream interface: takes one line. */
  write(line: string): boolean {
    this.held.push(line);
    this.heldBytes += line.length;
    if (this.heldBytes >= BATCH_BYTES) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return true;
  }

  /**
   * Writes what is held, synchronously, all of it: a partial write goes on from where it stopped,
   * and a full non-blocking pipe (EAGAIN) is waited for. No fsync (SonicBoom's flushSync does one
   * every time, which on a pipe fails with an exception: 2 % of the gateway's time in a profile).
   */
  flush(): void {
    this.flushScheduled = false;
    if (this.held.length === 0) return;
    let bytes = Buffer.from(this.held.join(''));
    this.held = [];
    this.heldBytes = 0;
    while (bytes.length > 0) {
      try {
        bytes = bytes.subarray(writeSync(this.fd, bytes));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        Atomics.wait(EAGAIN_PAUSE, 0, 0, 10);
      }
    }
  }
}

/** What Atomics.wait sleeps on while a full pipe drains (10 ms at a time). */
const EAGAIN_PAUSE = new Int32Array(new SharedArrayBuffer(4));

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
  const scope = currentScope();
  if (scope?.requestId) fields.request_id = scope.requestId;
  if (scope?.eventId) fields.event_id = scope.eventId;
  return fields;
}
