// ClickHouse on the local stacks runs inside its owner's process (chdb): nothing to start or stop,
// only its data folder. (docker-compose runs it as a server instead.)
import { mkdirSync, rmSync } from 'node:fs';
import { NOTHING_STARTED, localOwnerEnv, storeDataDir, type StoreProvisioner } from './provisioner.ts';

export const IN_PROCESS_CLICKHOUSE: StoreProvisioner = {
  async ensure(s, service) {
    mkdirSync(storeDataDir(s, service), { recursive: true });
    return NOTHING_STARTED;
  },

  stop: async () => {},

  async reset(s, service) {
    // Only while its owner is not running: the engine keeps the folder open.
    const dir = storeDataDir(s, service);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  },

  connection: (s, service) => ({ adminUrl: null, ownerEnv: localOwnerEnv(s, service) }),
};
