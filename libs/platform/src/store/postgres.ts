import { Logger } from '@nestjs/common';
import type { ServiceName } from '@polystore/contracts';
import { applyPrismaMigrations, type MigrationResult, type SqlSession } from '../schema/prisma-migrations.js';
import { StoreAvailability } from './store-availability.js';
import { storeProbeSettings } from './store-gate.js';

// What every PostgreSQL service does the same way with its own connections. libs/platform imports
// no driver: the owner's store/ passes its generated Prisma client and a factory of single pg
// connections, and the types below only describe what of them is used.

/** SQL with positional parameters ($1, $2…): the owner's Prisma client, or one of its transactions. */
export interface PostgresSql {
  $queryRawUnsafe<T = unknown>(sql: string, ...values: unknown[]): PromiseLike<T>;
  $executeRawUnsafe(sql: string, ...values: unknown[]): PromiseLike<number>;
}

/** How long a transaction may wait to start, and how long it may then run (Prisma's interactive transactions). */
export interface PostgresTransactionSettings {
  /** Waiting for a pooled connection and its BEGIN; past it, Prisma fails with "Unable to start a transaction in the given time". */
  maxWait: number;
  /** From BEGIN to COMMIT; past it, Prisma rolls the transaction back. */
  timeout: number;
}

/** The owner's pooled client: SQL, transactions, and disconnecting at shutdown. */
export interface PostgresClient<Tx extends PostgresSql = PostgresSql> extends PostgresSql {
  $transaction<T>(work: (tx: Tx) => Promise<T>, settings?: Partial<PostgresTransactionSettings>): Promise<T>;
  $disconnect(): Promise<void>;
}

/** One connection of the owner's driver outside the pool (a `pg.Client`): the heartbeat's, the outbox listener's, the migrations'. */
export interface PostgresConnection extends SqlSession {
  connect(): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Every transaction a PostgreSQL service starts, unless it says otherwise (the Prisma client's
 * `transactionOptions`).
 *
 * maxWait is the time to get a pooled connection. Prisma's default (2 s) is shorter than what the
 * caller waits: a burst of requests larger than the pool queues for connections, and on a busy
 * machine the queue outlives 2 s while every connection is doing useful work — the request then
 * failed (INTERNAL) although its caller was still waiting and the database was fine. The store's
 * operation deadline (`<PREFIX>_STORE_TIMEOUT_MS`, 10 s, also the client-side query timeout) is
 * what bounds any one store call, so waiting for a connection gets the same bound. A database that
 * is away does not make requests wait for it: the store gate answers UNAVAILABLE from the heartbeat.
 *
 * timeout is Prisma's default (5 s): request transactions are a few statements.
 */
export function postgresTransactionSettings(operationTimeoutMs: number): PostgresTransactionSettings {
  return { maxWait: operationTimeoutMs, timeout: 5_000 };
}

/**
 * The outbox drain's transaction: it holds the claimed rows' locks while publishing a batch to
 * JetStream, so it may run as long as a batch takes on a slow NATS (60 s) — a relay's drain is
 * not on any caller's path. It waits for a connection as long as any store call.
 */
export function outboxDrainTransaction(operationTimeoutMs: number): PostgresTransactionSettings {
  return { maxWait: operationTimeoutMs, timeout: 60_000 };
}

/** Options of the owner's pg pool (`new PrismaPg(postgresPoolOptions(…))`). */
export function postgresPoolOptions(databaseUrl: string, poolSize: number, operationTimeoutMs: number) {
  return {
    connectionString: databaseUrl,
    max: poolSize,
    // pg's pool applies this to waiting for a busy pool as well as to opening a connection, and its
    // error reads as "store unavailable": at 2 s, a burst larger than the pool on a busy machine was
    // answered UNAVAILABLE while the database was fine. Same bound as Prisma's maxWait (above); an
    // unreachable server is found by the heartbeat (its own connection, a sub-second deadline), whose
    // gate then refuses requests at once instead of letting them wait here.
    connectionTimeoutMillis: operationTimeoutMs,
    // A frozen server answers nothing: give up on a query client-side (the request was answered UNAVAILABLE long before).
    query_timeout: operationTimeoutMs,
    idleTimeoutMillis: 30_000,
  };
}

export interface PostgresConnectionOptions {
  connectionString: string;
  connectionTimeoutMillis: number;
  query_timeout?: number;
}

/**
 * Options of a single connection outside the pool (`new pg.Client(options)`): given up on after
 * `connectMs` when connecting, and after `queryMs` per query when given (not for LISTEN, whose
 * connection waits for notifications, nor migrations, which may take long).
 */
export function postgresConnectionOptions(databaseUrl: string, connectMs: number, queryMs?: number): PostgresConnectionOptions {
  return { connectionString: databaseUrl, connectionTimeoutMillis: connectMs, ...(queryMs ? { query_timeout: queryMs } : {}) };
}

/** Applies prisma/<service>/migrations on `connection` (one of its own, closed after), under Prisma's advisory lock. */
export async function migratePostgres(connection: PostgresConnection, migrationsDir: string, service: ServiceName): Promise<MigrationResult> {
  await connection.connect();
  try {
    return await applyPrismaMigrations(connection, migrationsDir, new Logger(`${service}:migrate`));
  } finally {
    await connection.end();
  }
}

/**
 * What a service's `new PrismaClient(…)` takes: its pg driver adapter (made by the owner, from the
 * platform's pool options) and the platform's transaction settings.
 *
 * errorFormat 'minimal': with any other format, Prisma captures a stack trace on every query
 * (`new Error()`, to point at the calling line in a failed query's message), which was 3 % of
 * users' busy time in a profile of `GET /users/me` under load. An error keeps its code, its
 * message and its stack; only the code frame drawn from the call site goes.
 */
export function postgresClientOptions<Adapter>(
  adapter: (pool: ReturnType<typeof postgresPoolOptions>) => Adapter,
  databaseUrl: string,
  poolSize: number,
  operationTimeoutMs: number,
): { adapter: Adapter; transactionOptions: PostgresTransactionSettings; errorFormat: 'minimal' } {
  return {
    adapter: adapter(postgresPoolOptions(databaseUrl, poolSize, operationTimeoutMs)),
    transactionOptions: postgresTransactionSettings(operationTimeoutMs),
    errorFormat: 'minimal',
  };
}

/**
 * A unique-index violation raised by a Prisma client (PrismaClientKnownRequestError, recognised by
 * name: platform imports no client): P2002, or 23505 through a raw query. `index` narrows it to one
 * index or column.
 */
export function isUniqueViolation(error: unknown, index?: string): boolean {
  if (!(error instanceof Error) || error.name !== 'PrismaClientKnownRequestError') return false;
  const { code, meta } = error as Error & { code?: string; meta?: unknown };
  const detail = `${error.message} ${JSON.stringify(meta ?? {})}`;
  const unique = code === 'P2002' || /23505|UniqueConstraintViolation|unique constraint/i.test(detail);
  return unique && (!index || detail.includes(index));
}

export interface PostgresDatabaseDrivers<Client> {
  service: ServiceName;
  databaseUrl: string;
  /** The owner's pooled Prisma client; `operationTimeoutMs` is the service's store deadline. */
  client: (operationTimeoutMs: number) => Client;
  /** A single connection outside the pool, with the options given (`new pg.Client(options)`). */
  connection: (options: PostgresConnectionOptions) => PostgresConnection;
}

/**
 * A PostgreSQL service's connections: its pooled Prisma client, and the heartbeat on a connection
 * of its own (a pool busy with slow work must not look like a database that is away). The owner's
 * store/ extends it with its own client type and drivers.
 */
export class PostgresDatabase<Client extends PostgresClient<any>> {
  readonly prisma: Client;
  readonly availability: StoreAvailability;
  /** The service's store deadline (`<PREFIX>_STORE_TIMEOUT_MS`): a query's, and waiting for a pooled connection. */
  readonly operationTimeoutMs: number;
  private probeConnection: PostgresConnection | null = null;

  constructor(private readonly drivers: PostgresDatabaseDrivers<Client>) {
    const timing = storeProbeSettings(drivers.service);
    this.operationTimeoutMs = timing.operationTimeoutMs;
    this.prisma = drivers.client(timing.operationTimeoutMs);
    this.availability = new StoreAvailability({
      store: 'postgres',
      probe: () => this.probe(),
      probeDeadlineMs: timing.probeDeadlineMs,
      connect: (signal) => this.connectProbe(signal),
      // As long as any store call may wait for a pooled connection: the same work (see postgresPoolOptions).
      connectDeadlineMs: timing.operationTimeoutMs,
      probeIntervalMs: timing.probeIntervalMs,
    });
  }

  async ping(): Promise<void> {
    await this.prisma.$queryRawUnsafe('SELECT 1');
  }

  /** A connection of its own outside the pool (LISTEN), given up on after `connectMs` when connecting. */
  openConnection(connectMs: number): PostgresConnection {
    return this.drivers.connection(postgresConnectionOptions(this.drivers.databaseUrl, connectMs));
  }

  /**
   * Opens the probe's connection when it has none (at start, after a failure). Its deadline is
   * StoreAvailability's (withDeadline), which gives no verdict when this process, not the database,
   * was stalled; pg's own timers would call a stall an outage ("timeout expired"). Theirs only free
   * the socket of a connection the deadline gave up on.
   */
  private async connectProbe(signal: AbortSignal): Promise<void> {
    if (this.probeConnection) return;
    const connection = this.drivers.connection(postgresConnectionOptions(this.drivers.databaseUrl, this.operationTimeoutMs, this.operationTimeoutMs));
    connection.on('error', () => this.dropProbeConnection(connection));
    this.probeConnection = connection;
    const giveUp = () => this.dropProbeConnection(connection);
    signal.addEventListener('abort', giveUp, { once: true });
    try {
      await connection.connect();
    } catch (error) {
      this.dropProbeConnection(connection);
      throw error;
    } finally {
      signal.removeEventListener('abort', giveUp);
    }
  }

  /** SELECT 1 on the probe's connection; a connection that failed or hung is dropped and opened anew next time. */
  private async probe(): Promise<void> {
    const connection = this.probeConnection;
    if (!connection) throw new Error('the probe connection closed');
    try {
      await connection.query('SELECT 1');
    } catch (error) {
      this.dropProbeConnection(connection);
      throw error;
    }
  }

  private dropProbeConnection(connection: PostgresConnection): void {
    if (this.probeConnection === connection) this.probeConnection = null;
    connection.end().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.availability.stop();
    if (this.probeConnection) this.dropProbeConnection(this.probeConnection);
    await this.prisma.$disconnect();
  }
}
