import { ESLint } from 'eslint';
import { resolve } from 'node:path';

/** The lint that CI runs really refuses what docs/architecture.md forbids. */
describe('lint: architecture boundaries', () => {
  const eslint = new ESLint({ cwd: resolve('.') });
  const problems = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: resolve(filePath) });
    return result!.messages.filter((m) => m.ruleId === 'polystore/boundaries').map((m) => m.message);
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
    expect(await problems('apps/users/src/store/x.ts', "import pg from 'pg';\nimport { PrismaClient } from '../../../../generated/users/client.js';")).toEqual([]);
    expect(await problems('apps/cart/src/store/x.ts', "import Redis from 'ioredis';")).toEqual([]);
    expect(await problems('apps/gateway/src/x.ts', "import { RpcClient } from '@polystore/platform';")).toEqual([]);
  });
});
