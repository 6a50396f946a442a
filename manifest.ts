/**
 * The system, declared once: every app, the store each service owns, the ports of both local
 * stacks, who calls whom over NATS and whose events each reads.
 *
 * Everything that lists services is derived from this file: NATS users and permissions (and
 * docker/nats/auth.conf), store provisioning, ports and credentials of the dev and test stacks,
 * app start order and log colours, the lint's driver-ownership table, the streams analytics
 * ingests, nest-cli.json, docker-compose.yml and the README's ownership map. `npm run new:service`
 * adds an entry here; `npm run generate` rewrites the checked-in derived files, and a unit test
 * fails when one of them drifts.
 *
 * Kept free of imports and of TypeScript-only runtime syntax (no enums, no namespaces): the
 * project's scripts load it directly with Node's type stripping, the apps through the compiler.
 */

export type StoreKind = 'postgres' | 'redis' | 'opensearch' | 'clickhouse' | 'mongodb';
export type StackName = 'dev' | 'test';
/** A port on each local stack (`npm start` runs dev, `npm test` runs test). */
export type StackPorts = Readonly<Record<StackName, number>>;

export interface StoreSpec {
  readonly kind: StoreKind;
  /** The engine's port on the local stacks. A service's store is its own server process. */
  readonly port: StackPorts;
  /**
   * MongoDB wire only: locally the server is FerretDB, which keeps its documents in a PostgreSQL
   * cluster of its own (reached by FerretDB's login only); that cluster's port.
   */
  readonly backendPort?: StackPorts;
  /**
   * ClickHouse only: the engine runs inside the service process (chdb) on the local stacks, so
   * nothing listens on `port` there; `port` is the server's in docker-compose.
   */
  readonly inProcess?: boolean;
}

export interface AppSpec {
  /** One line: what the app owns or does (README, docs). */
  readonly summary: string;
  /** The store this app owns, or null (the gateway owns none). */
  readonly store: StoreSpec | null;
  /** Prefix of every environment variable the app reads: USERS_DATABASE_URL, USERS_HTTP_PORT, … */
  readonly envPrefix: string;
  /** Services: the small health/metrics port. Gateway: the REST API's port. */
  readonly httpPort: StackPorts;
  /** Publishes events on its own JetStream stream `EVENTS_<NAME>` (subjects `events.<name>.>`). */
  readonly publishesEvents: boolean;
  /** Services it sends requests to (`<service>.<verb>.v1`). */
  readonly calls: readonly string[];
  /** Producers whose event streams it reads with durable consumers. */
  readonly consumes: readonly string[];
  /**
   * Keeps data about users, so it takes part in erasing a user (right to be forgotten): it reads
   * users' `UserErasureRequested.v1`, erases or anonymises what its store holds about that user and
   * answers `UserErased.v1` on its own stream; users waits for its answer (and retries). Such a
   * service must publish events and consume users'; users must consume its stream. (users itself
   * erases its accounts in the request; see docs/operations.md, "Erasing a user".)
   */
  readonly holdsUserData: boolean;
  /**
   * Services whose ids this service's store keeps (a user id in a cart, a product id in a watch, a
   * checkout id in a stock reservation): what `npm run reconcile` compares after stores were
   * restored from different times. The service answers `<service>.list-references.v1` and
   * `<service>.repair-references.v1` for each; each owner answers `<owner>.check-ids.v1`
   * (docs/operations.md, "Reconciling after restores"). The ids came from the owner (its events,
   * replies to calls, or its calls to this service), so the two must talk.
   */
  readonly references: readonly string[];
  /** ANSI colour of its prefix in `npm start`'s output. */
  readonly logColor: number;
}

/** Store engines: which driver packages belong to a store of the kind, and how compose runs it. */
export interface StoreKindSpec {
  readonly label: string;
  /** Packages that open connections to such a store; the lint lets only its owner's store/ import them. */
  readonly drivers: readonly string[];
  /** `<PREFIX>_<urlVariable>` is the variable that gives a service its store's address. */
  readonly urlVariable: string;
  readonly composeImage: string;
  readonly containerPort: number;
}

export const STORE_KINDS = {
  postgres: {
    label: 'PostgreSQL',
    drivers: ['@prisma/client', '@prisma/adapter-pg', 'pg'],
    urlVariable: 'DATABASE_URL',
    composeImage: 'postgres:16',
    containerPort: 5432,
  },
  redis: { label: 'Redis', drivers: ['ioredis'], urlVariable: 'REDIS_URL', composeImage: 'redis:7.2', containerPort: 6379 },
  opensearch: {
    label: 'OpenSearch',
    drivers: ['@opensearch-project/opensearch', '@elastic/elasticsearch'],
    urlVariable: 'OPENSEARCH_URL',
    composeImage: 'opensearchproject/opensearch:2.19.1',
    containerPort: 9200,
  },
  clickhouse: {
    label: 'ClickHouse',
    drivers: ['@clickhouse/client', 'chdb'],
    urlVariable: 'CLICKHOUSE_URL',
    composeImage: 'clickhouse/clickhouse-server:25.8',
    containerPort: 8123,
  },
  mongodb: {
    label: 'MongoDB',
    drivers: ['mongoose', '@nestjs/mongoose', 'mongodb'],
    urlVariable: 'MONGODB_URL',
    composeImage: 'mongo:7.0',
    containerPort: 27017,
  },
} as const satisfies Record<StoreKind, StoreKindSpec>;

/**
 * Every app, in start order: a service starts after those it calls, the gateway last.
 * The name is also the NATS subject prefix, the queue group and the folder under apps/.
 */
export const APPS = {
  users: {
    summary: 'accounts, profiles, wallet ledger',
    store: { kind: 'postgres', port: { dev: 55432, test: 55433 } },
    envPrefix: 'USERS',
    httpPort: { dev: 3101, test: 3911 },
    publishesEvents: true,
    calls: [],
    consumes: ['orders', 'cart', 'analytics', 'messaging'],
    holdsUserData: false,
    references: [],
    logColor: 36,
  },
  products: {
    summary: 'catalog, stock, search',
    store: { kind: 'opensearch', port: { dev: 59200, test: 59210 } },
    envPrefix: 'PRODUCTS',
    httpPort: { dev: 3102, test: 3912 },
    publishesEvents: true,
    calls: [],
    consumes: ['orders'],
    holdsUserData: false,
    references: ['cart'],
    logColor: 35,
  },
  cart: {
    summary: 'carts, checkout saga, price snapshots',
    store: { kind: 'redis', port: { dev: 56379, test: 56380 } },
    envPrefix: 'CART',
    httpPort: { dev: 3103, test: 3913 },
    publishesEvents: true,
    calls: ['products', 'users'],
    consumes: ['products', 'users'],
    holdsUserData: true,
    references: ['users', 'products'],
    logColor: 33,
  },
  analytics: {
    summary: 'every domain event, reports',
    store: { kind: 'clickhouse', port: { dev: 58123, test: 58124 }, inProcess: true },
    envPrefix: 'ANALYTICS',
    httpPort: { dev: 3104, test: 3914 },
    publishesEvents: true,
    calls: [],
    consumes: ['users', 'products', 'cart', 'messaging', 'orders', 'gateway'],
    holdsUserData: true,
    references: ['users'],
    logColor: 34,
  },
  messaging: {
    summary: 'notifications, product watches, conversations',
    store: { kind: 'mongodb', port: { dev: 57017, test: 57018 }, backendPort: { dev: 57432, test: 57433 } },
    envPrefix: 'MESSAGING',
    httpPort: { dev: 3105, test: 3915 },
    publishesEvents: true,
    calls: ['users', 'products'],
    consumes: ['users', 'products', 'cart', 'orders'],
    holdsUserData: true,
    references: ['users', 'products'],
    logColor: 32,
  },
  orders: {
    summary: 'orders (event-sourced), order history, cancellations',
    store: { kind: 'postgres', port: { dev: 55434, test: 55435 } },
    envPrefix: 'ORDERS',
    httpPort: { dev: 3106, test: 3916 },
    publishesEvents: true,
    calls: [],
    consumes: ['cart', 'users', 'products'],
    holdsUserData: true,
    references: ['users'],
    logColor: 96,
  },
  gateway: {
    summary: 'REST for every service: auth check, validation, composition',
    store: null,
    envPrefix: 'GATEWAY',
    httpPort: { dev: 3000, test: 3900 },
    // ProductViewed: it has no store, so no outbox; it publishes to its stream directly.
    publishesEvents: true,
    calls: ['users', 'products', 'cart', 'analytics', 'messaging', 'orders'],
    consumes: [],
    holdsUserData: false,
    references: [],
    logColor: 97,
  },
} as const satisfies Record<string, AppSpec>;

/** What runs beside the apps on each local stack. */
export const INFRASTRUCTURE = {
  nats: { port: { dev: 54222, test: 54223 }, monitorPort: { dev: 58222, test: 58223 } },
  /** The local trace backend (Jaeger): OTLP/HTTP in, its query API (and placeholder UI) out. */
  jaeger: { otlpHttpPort: { dev: 54318, test: 54319 }, queryPort: { dev: 56686, test: 56687 } },
} as const;

export type AppName = keyof typeof APPS;
/** An app that owns a store (every app but the gateway). */
export type ServiceName = { [K in AppName]: (typeof APPS)[K]['store'] extends null ? never : K }[AppName];
/** An app with an event stream of its own. */
export type EventProducer = { [K in AppName]: (typeof APPS)[K]['publishesEvents'] extends true ? K : never }[AppName];

export const APP_NAMES = Object.keys(APPS) as AppName[];
export const SERVICE_NAMES = APP_NAMES.filter((name) => APPS[name].store !== null) as ServiceName[];
export const EVENT_PRODUCERS = APP_NAMES.filter((name) => APPS[name].publishesEvents) as EventProducer[];
/** Services that keep data about users and take part in erasing one (`holdsUserData`). */
export type ErasureParticipant = { [K in AppName]: (typeof APPS)[K]['holdsUserData'] extends true ? K : never }[AppName];
export const ERASURE_PARTICIPANTS = APP_NAMES.filter((name) => APPS[name].holdsUserData) as ErasureParticipant[];

/** One reconcile check: `holder`'s store keeps ids that `owner` owns (the manifest's `references`). */
export interface ReferenceCheck {
  readonly holder: ServiceName;
  readonly owner: ServiceName;
}
/** Every (holder, owner) pair, in start order of the holders' declaration. */
export const REFERENCE_CHECKS: readonly ReferenceCheck[] = APP_NAMES.flatMap((holder) =>
  (APPS[holder] as AppSpec).references.map((owner) => ({ holder: holder as ServiceName, owner: owner as ServiceName })),
);
/** Services whose ids others keep: each answers `<owner>.check-ids.v1`. */
export const REFERENCE_OWNERS = [...new Set(REFERENCE_CHECKS.map((c) => c.owner))] as ServiceName[];

/**
 * Names no app may take: the operator's NATS user (`ops`), subject spaces every app shares
 * (`events.>`, `deadletter.>`), the engines' own databases, and folders a stack keeps beside the
 * services' (`.data/<stack>/{keys,nats,logs}`).
 */
export const RESERVED_NAMES = [
  'ops',
  'events',
  'deadletter',
  'postgres',
  'template0',
  'template1',
  'admin',
  'local',
  'config',
  'keys',
  'nats',
  'logs',
];

/**
 * What the type system cannot say about the manifest: references name real apps, ports and
 * prefixes are unique, calls form no cycle (so there is a start order). Returns the problems.
 */
export function manifestProblems(): string[] {
  const problems: string[] = [];
  const names = new Set<string>(APP_NAMES);
  for (const name of APP_NAMES) {
    const app: AppSpec = APPS[name];
    if (!/^[a-z][a-z0-9]*$/.test(name)) problems.push(`${name}: an app name is lower-case letters and digits`);
    if (RESERVED_NAMES.includes(name)) problems.push(`${name}: the name is reserved (${RESERVED_NAMES.join(', ')})`);
    if (app.envPrefix !== name.toUpperCase()) problems.push(`${name}: envPrefix should be ${name.toUpperCase()}`);
    for (const callee of app.calls) {
      if (!names.has(callee)) problems.push(`${name} calls unknown app ${callee}`);
      else if (APPS[callee as AppName].store === null) problems.push(`${name} calls ${callee}, which serves no requests`);
    }
    for (const producer of app.consumes) {
      if (!names.has(producer)) problems.push(`${name} consumes events of unknown app ${producer}`);
      else if (!APPS[producer as AppName].publishesEvents) problems.push(`${name} consumes ${producer}, which publishes no events`);
    }
    if (app.calls.includes(name)) problems.push(`${name} calls itself`);
    if (app.holdsUserData) {
      // The erasure round trip: users' request reaches it, its answer reaches users.
      if (name === 'users' || app.store === null) problems.push(`${name}: holdsUserData is for services other than users`);
      if (!app.publishesEvents) problems.push(`${name} holds user data but publishes no events (it answers UserErased.v1 on its stream)`);
      if (!app.consumes.includes('users')) problems.push(`${name} holds user data but does not consume users (UserErasureRequested.v1)`);
      if (!(APPS.users.consumes as readonly string[]).includes(name))
        problems.push(`users does not consume ${name}, which holds user data (its UserErased.v1)`);
    }
    for (const owner of app.references) {
      if (!names.has(owner)) problems.push(`${name} references ids of unknown app ${owner}`);
      else if (APPS[owner as AppName].store === null) problems.push(`${name} references ids of ${owner}, which owns no store`);
      else if (owner === name) problems.push(`${name} references its own ids`);
      // The ids came from the owner: in its events, in replies to calls, or in its calls here.
      else if (!app.calls.includes(owner) && !app.consumes.includes(owner) && !(APPS[owner as AppName].calls as readonly string[]).includes(name))
        problems.push(`${name} references ids of ${owner}, but they do not talk (no call or event either way)`);
      if (app.store === null) problems.push(`${name} references ids of ${owner} but has no store to keep them in`);
    }
    // The edge's /health asks every service, so it must be allowed to call each.
    if (app.store === null) {
      for (const service of SERVICE_NAMES) if (!app.calls.includes(service)) problems.push(`${name} (the edge) does not call ${service}`);
    }
  }
  const seen = new Map<string, string>();
  for (const stackName of ['dev', 'test'] as const) {
    const ports: Array<[string, number]> = [
      ['nats', INFRASTRUCTURE.nats.port[stackName]],
      ['nats monitor', INFRASTRUCTURE.nats.monitorPort[stackName]],
      ['jaeger otlp', INFRASTRUCTURE.jaeger.otlpHttpPort[stackName]],
      ['jaeger query', INFRASTRUCTURE.jaeger.queryPort[stackName]],
    ];
    for (const name of APP_NAMES) {
      const app: AppSpec = APPS[name];
      ports.push([`${name} http`, app.httpPort[stackName]]);
      if (app.store) ports.push([`${name} store`, app.store.port[stackName]]);
      if (app.store?.backendPort) ports.push([`${name} store backend`, app.store.backendPort[stackName]]);
    }
    for (const [what, port] of ports) {
      const key = String(port);
      if (seen.has(key)) problems.push(`port ${port} is used by both ${seen.get(key)} and ${what} (${stackName})`);
      else seen.set(key, `${what} (${stackName})`);
    }
  }
  try {
    startOrder();
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}

/** Apps ordered so that each comes after every app it calls (declaration order otherwise). */
export function startOrder(): AppName[] {
  const order: AppName[] = [];
  const visiting = new Set<AppName>();
  const visit = (name: AppName, path: AppName[]): void => {
    if (order.includes(name)) return;
    if (visiting.has(name)) throw new Error(`calls form a cycle: ${[...path, name].join(' → ')}`);
    visiting.add(name);
    for (const callee of APPS[name].calls) if (callee in APPS) visit(callee as AppName, [...path, name]);
    visiting.delete(name);
    order.push(name);
  };
  for (const name of APP_NAMES) visit(name, []);
  return order;
}
