import { ESLint } from 'eslint';
import { resolve } from 'node:path';

/** The lint that CI runs really refuses what docs/architecture.md forbids. */
describe('lint: architecture boundaries', () => {
  const eslint = new ESLint({ cwd: resolve('.') });
  const problems = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: resolve(filePath) });
    return result!.messages.filter((m) => m.ruleId === 'polystore/boundaries' || m.ruleId === 'polystore/layers').map((m) => m.message);
  };

  it('an app importing another app', async () => {
    expect(await problems('apps/gateway/src/x.ts', "import { AccountsStore } from '../../users/src/store/accounts.store.js';")).toEqual([
      'app gateway imports app users: apps talk over NATS, sharing only libs/',
    ]);
  });

  it('a lib importing an app', async () => {
    expect(await problems('libs/platform/src/x.ts', "export * from '../../../apps/users/src/config.js';")).toHaveLength(1);
  });

  it('a store driver outside its owner’s store/', async () => {
    expect(await problems('apps/gateway/src/x.ts', "import pg from 'pg';")).toHaveLength(1);
    expect(await problems('apps/users/src/api/x.ts', "import { PrismaClient } from '../../../../generated/users/client.js';")).toHaveLength(1);
    expect(await problems('apps/cart/src/x.ts', "import Redis from 'ioredis';")).toHaveLength(1);
    expect(await problems('libs/platform/src/x.ts', "const m = await import('mongoose');")).toHaveLength(1);
  });

  it('allows the owner’s store/ and tests, and the libs', async () => {
    expect(
      await problems('apps/users/src/store/x.ts', "import pg from 'pg';\nimport { PrismaClient } from '../../../../generated/users/client.js';"),
    ).toEqual([]);
    expect(await problems('apps/cart/src/store/x.ts', "import Redis from 'ioredis';")).toEqual([]);
    expect(await problems('apps/gateway/src/x.ts', "import { RpcClient } from '@polystore/platform';")).toEqual([]);
  });

  it('domain/ importing its app’s api/, store/, events/ or cli/', async () => {
    expect(await problems('apps/users/src/domain/x.ts', "import { AccountsStore } from '../store/accounts.store.js';")).toEqual([
      'domain/ must not import store/: domain holds rules only, no I/O',
    ]);
    expect(await problems('apps/cart/src/domain/x.ts', "import type { CartService } from '../api/cart.service.js';")).toEqual([
      'domain/ must not import api/: domain holds rules only, no I/O',
    ]);
    expect(await problems('apps/products/src/domain/x.ts', "export { ProductsEvents } from '../events/products-events.js';")).toEqual([
      'domain/ must not import events/: domain holds rules only, no I/O',
    ]);
    expect(await problems('apps/products/src/domain/x.spec.ts', "const m = await import('../cli/seed.js');")).toEqual([
      'domain/ must not import cli/: domain holds rules only, no I/O',
    ]);
    // However the path gets there.
    expect(await problems('apps/messaging/src/domain/x.ts', "export * from '../../src/store/outbox.js';")).toHaveLength(1);
  });

  it('store/ importing its app’s api/', async () => {
    expect(await problems('apps/products/src/store/x.ts', "import { CatalogService } from '../api/catalog.service.js';")).toEqual([
      'store/ must not import api/: api/ calls the store, never the other way round',
    ]);
  });

  it('allows the layers’ downward imports', async () => {
    expect(
      await problems('apps/users/src/domain/x.ts', "import { hashPassword } from './password.js';\nimport { Money } from '@polystore/contracts';"),
    ).toEqual([]);
    expect(
      await problems(
        'apps/cart/src/store/x.ts',
        "import type { CheckoutRecord } from '../domain/checkout.js';\nimport { CART_CONFIG } from '../config.js';",
      ),
    ).toEqual([]);
    expect(
      await problems(
        'apps/products/src/api/x.ts',
        "import { ProductsStore } from '../store/products.store.js';\nimport { reservedQuantity } from '../domain/product.js';",
      ),
    ).toEqual([]);
    expect(
      await problems(
        'apps/users/src/events/x.ts',
        "import { OutboxRelay } from '../store/outbox.js';\nimport type { UserRecord } from '../domain/user.js';",
      ),
    ).toEqual([]);
    expect(await problems('apps/products/src/cli/x.ts', "import { CatalogService } from '../api/catalog.service.js';")).toEqual([]);
    // Tests sit outside src/ and may reach any layer.
    expect(
      await problems(
        'apps/users/test/x.int-spec.ts',
        "import { AccountsStore } from '../src/store/accounts.store.js';\nimport { hashPassword } from '../src/domain/password.js';",
      ),
    ).toEqual([]);
  });
});
