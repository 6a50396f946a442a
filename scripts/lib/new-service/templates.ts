// The files `npm run new:service` writes for a service: the house shape (api/, domain/, store/,
// config, module, main), its contracts, a schema-setup step, a unit test and an integration test
// against its real store. The service starts with one example resource, an "item" (a label and a
// creation time), so every layer has working code to replace rather than an empty folder.
import type { StoreKind } from '../../../manifest.ts';
import { STORE_TEMPLATES } from './store-templates.ts';

export interface ServiceNames {
  /** lower-case: folder, subjects, queue group */
  name: string;
  /** PascalCase: class and type names */
  Name: string;
  /** UPPER-CASE: env prefix, constants */
  NAME: string;
  kind: StoreKind;
}

export function serviceNames(name: string, kind: StoreKind): ServiceNames {
  const Name = name.charAt(0).toUpperCase() + name.slice(1);
  return { name, Name, NAME: name.toUpperCase(), kind };
}

/** Files by path (relative to the repository). */
export function serviceFiles(n: ServiceNames): Record<string, string> {
  const store = STORE_TEMPLATES[n.kind](n);
  const { name, Name, NAME } = n;
  return {
    [`libs/contracts/src/${name}/index.ts`]: `export * from './requests.js';
export * from './replies.js';
export * from './rpc.js';
`,
    [`libs/contracts/src/${name}/requests.ts`]: `import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, IsUUID, Length } from 'class-validator';
import { trim } from '../validation.js';

export const ${NAME}_ITEM_LABEL_MAX = 200;

/** Creates one of ${name}'s items (the example resource the generator starts the service with). */
export class Create${Name}ItemRequest {
  @ApiProperty({ minLength: 1, maxLength: ${NAME}_ITEM_LABEL_MAX })
  @Transform(trim)
  @IsString()
  @Length(1, ${NAME}_ITEM_LABEL_MAX)
  label!: string;
}

export class ${Name}ItemIdRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}
`,
    [`libs/contracts/src/${name}/replies.ts`]: `import { ApiProperty } from '@nestjs/swagger';

export class ${Name}Item {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}
`,
    [`libs/contracts/src/${name}/rpc.ts`]: `import { rpcSubject } from '../rpc.js';
import type { ${Name}Item } from './replies.js';
import type { Create${Name}ItemRequest, ${Name}ItemIdRequest } from './requests.js';

/** ${name}'s request/reply subjects, with their request and reply types. */
export const ${Name}Rpc = {
  createItem: rpcSubject<Create${Name}ItemRequest, ${Name}Item>('${name}.create-item.v1'),
  getItem: rpcSubject<${Name}ItemIdRequest, ${Name}Item>('${name}.get-item.v1'),
} as const;
`,
    [`apps/${name}/src/main.ts`]: `import 'reflect-metadata';
import { bootstrapService, runMain } from '@polystore/platform';
import { load${Name}Config } from './config.js';
import { ${Name}Module } from './${name}.module.js';

runMain(() => bootstrapService({ service: '${name}', module: ${Name}Module.forRoot(load${Name}Config()) }));
`,
    [`apps/${name}/src/config.ts`]: store.config,
    [`apps/${name}/src/${name}.module.ts`]: `import { Module, type DynamicModule } from '@nestjs/common';
import {
  MetricsModule,
  NatsModule,${store.availability ? '' : '\n  StoreAvailability,'}
  appNatsSettings,
  createHealthController,
  healthProbes,
  schemaSetup,
  storeAvailability,${store.availability ? '' : '\n  storeProbeSettings,'}
  storeUsage,
  type NatsSettings,
} from '@polystore/platform';
import { ItemsController } from './api/items.controller.js';
import { ItemsService } from './api/items.service.js';
import { ${NAME}_CONFIG, type ${Name}Config } from './config.js';
import { ItemsStore } from './store/items.store.js';
import { ${store.connectionClass} } from './store/${store.connectionFile}.js';
import { setUp${Name}Schema } from './store/schema.js';
import { read${Name}Usage } from './store/usage.js';

/** ${name}: owns its ${store.label}; talks to other services only over NATS. */
@Module({})
export class ${Name}Module {
  static forRoot(config: ${Name}Config, options: { nats?: NatsSettings } = {}): DynamicModule {
    return {
      module: ${Name}Module,
      imports: [NatsModule.forRoot(options.nats ?? appNatsSettings('${name}'), 5_000), MetricsModule.forRoot('${name}')],
      controllers: [ItemsController, createHealthController('${name}')],
      providers: [
        { provide: ${NAME}_CONFIG, useValue: config },
        ${store.connectionClass},
        ItemsStore,
        ItemsService,
        schemaSetup((store: ${store.connectionClass}) => setUp${Name}Schema(store), [${store.connectionClass}]),
        healthProbes((store: ${store.connectionClass}) => [{ name: '${n.kind}', check: () => store.ping() }], [${store.connectionClass}]),
        storeUsage((store: ${store.connectionClass}) => () => read${Name}Usage(store), [${store.connectionClass}]),
        // Requests answer UNAVAILABLE at once while the store does not answer its heartbeat (docs/architecture.md, "Fail fast").
        ${
          store.availability ??
          `...storeAvailability(
          (store: ${store.connectionClass}) => new StoreAvailability({ store: '${n.kind}', probe: () => store.ping(), ...storeProbeSettings('${name}') }),
          [${store.connectionClass}],
        )`
        },
      ],
    };
  }
}
`,
    [`apps/${name}/src/api/items.controller.ts`]: `import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Create${Name}ItemRequest, ${Name}ItemIdRequest, ${Name}Rpc, type ${Name}Item } from '@polystore/contracts';
import { RpcHandler } from '@polystore/platform';
import { ItemsService } from './items.service.js';

/** ${name}'s request/reply handlers: its only entry points. */
@Controller()
export class ItemsController {
  constructor(@Inject(ItemsService) private readonly items: ItemsService) {}

  @RpcHandler(${Name}Rpc.createItem)
  create(@Payload() request: Create${Name}ItemRequest): Promise<${Name}Item> {
    return this.items.create(request.label);
  }

  @RpcHandler(${Name}Rpc.getItem)
  get(@Payload() request: ${Name}ItemIdRequest): Promise<${Name}Item> {
    return this.items.get(request.id);
  }
}
`,
    [`apps/${name}/src/api/items.service.ts`]: `import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ${Name}Item } from '@polystore/contracts';
import { newItem, type Item } from '../domain/item.js';
import { ItemsStore } from '../store/items.store.js';
import { ItemNotFound } from '../domain/errors.js';

/** The use cases behind ${name}'s handlers. */
@Injectable()
export class ItemsService {
  constructor(@Inject(ItemsStore) private readonly store: ItemsStore) {}

  async create(label: string): Promise<${Name}Item> {
    const item = newItem(randomUUID(), label, new Date());
    await this.store.insert(item);
    return toReply(item);
  }

  async get(id: string): Promise<${Name}Item> {
    const item = await this.store.find(id);
    if (!item) throw new ItemNotFound(id);
    return toReply(item);
  }
}

const toReply = (item: Item): ${Name}Item => ({ id: item.id, label: item.label, createdAt: item.createdAt.toISOString() });
`,
    [`apps/${name}/src/domain/item.ts`]: `/** ${name}'s example resource: replace it with the service's own model. */
export interface Item {
  id: string;
  label: string;
  createdAt: Date;
}

/** A new item: its label with inner runs of white space made one space. */
export function newItem(id: string, label: string, now: Date): Item {
  return { id, label: label.trim().replace(/\\s+/g, ' '), createdAt: now };
}
`,
    [`apps/${name}/src/domain/errors.ts`]: `import { ErrorCode } from '@polystore/contracts';
import { DomainError } from '@polystore/platform';

// ${name}'s refusals, thrown where the rule is checked (domain/, store/); callers get their codes.

export class ItemNotFound extends DomainError {
  constructor(id: string) {
    super(ErrorCode.NotFound, 'item not found', { id });
  }
}
`,
    [`apps/${name}/src/domain/item.spec.ts`]: `import { newItem } from './item.js';

describe('${name} items', () => {
  it('keep their label with white space made single', () => {
    const now = new Date('2026-01-02T03:04:05.000Z');
    expect(newItem('id-1', '  a   first\\titem ', now)).toEqual({ id: 'id-1', label: 'a first item', createdAt: now });
  });
});
`,
    [`apps/${name}/src/store/${store.connectionFile}.ts`]: store.connection,
    [`apps/${name}/src/store/items.store.ts`]: store.itemsStore,
    [`apps/${name}/src/store/schema.ts`]: store.schema,
    [`apps/${name}/src/store/usage.ts`]: store.usage,
    ...store.extraFiles,
    [`apps/${name}/test/${name}.int-spec.ts`]: `import { randomUUID } from 'node:crypto';
import { ErrorCode, ${Name}Rpc, healthSubject } from '@polystore/contracts';
import { serviceForSuite, startServiceForTest } from '../../../test/support/service.js';
import { offContract } from '../../../test/support/rpc.js';
import { load${Name}Config } from '../src/config.js';
import { ${Name}Module } from '../src/${name}.module.js';

/** ${name} in-process, with its own NATS user (so its permissions are tested too), on its real ${store.label}. */
describe('${name} (integration)', () => {
  const suite = serviceForSuite({
    service: '${name}',
    module: (nats) => ${Name}Module.forRoot(load${Name}Config(), { nats }),
    ownNatsUser: true,
  });

  it('reports itself and its store healthy', async () => {
    const report = await suite.rpc.send(healthSubject('${name}'), {});
    expect(report).toMatchObject({ service: '${name}', ok: true });
    expect(report.checks.map((c) => c.name)).toContain('${n.kind}');
  });

  it('stores an item and reads it back', async () => {
    const created = await suite.rpc.send(${Name}Rpc.createItem, { label: '  first   item ' });
    expect(created).toMatchObject({ label: 'first item', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(await suite.rpc.send(${Name}Rpc.getItem, { id: created.id })).toEqual(created);
  });

  it('answers NOT_FOUND for an item it does not have', async () => {
    await expect(suite.rpc.send(${Name}Rpc.getItem, { id: randomUUID() })).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });

  it('refuses bad input naming the field, and stores nothing', async () => {
    await expect(suite.rpc.send(${Name}Rpc.createItem, { label: '' })).rejects.toMatchObject({ code: ErrorCode.ValidationFailed, message: expect.stringMatching(/label/) });
    await expect(suite.rpc.send(${Name}Rpc.createItem, offContract({ label: 'x', extra: 1 }))).rejects.toMatchObject({ code: ErrorCode.ValidationFailed });
    await expect(suite.rpc.send(${Name}Rpc.getItem, { id: 'not-a-uuid' })).rejects.toMatchObject({ code: ErrorCode.ValidationFailed, message: expect.stringMatching(/id/) });
  });

});

describe('${name} across a restart (integration)', () => {
  const start = () =>
    startServiceForTest({ service: '${name}', module: (nats) => ${Name}Module.forRoot(load${Name}Config(), { nats }), ownNatsUser: true });

  it('keeps its items in the store, not the process', async () => {
    const first = await start();
    const created = await first.rpc.send(${Name}Rpc.createItem, { label: 'durable' }).finally(() => first.close());
    const second = await start();
    try {
      expect(await second.rpc.send(${Name}Rpc.getItem, { id: created.id })).toEqual(created);
    } finally {
      await second.close();
    }
  });
});
`,
  };
}
