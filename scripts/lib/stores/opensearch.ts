// A service's own OpenSearch node, from Maven Central jars (opensearch-node.ts).
import { join } from 'node:path';
import { portOpen } from '../proc.ts';
import { ensureOpenSearchJars, startOpenSearch, stopOpenSearch } from './opensearch-node.ts';
import { NOTHING_STARTED, localOwnerEnv, say, storeDataDir, type StoreProvisioner } from './provisioner.ts';

const log = (msg: string) => say(`opensearch: ${msg}`);

/** No security plugin: the node has no logins, so operators and the owner reach it the same way (loopback only). */
const openSearchUrl = (port: number) => `http://127.0.0.1:${port}`;

export const OPENSEARCH: StoreProvisioner = {
  async ensure(s, service) {
    const { port } = s.stores[service];
    const dataDir = storeDataDir(s, service);
    if (await portOpen(port)) {
      say(`opensearch (${service}) already up on ${port}; reusing it`);
      return NOTHING_STARTED;
    }
    const jarsDir = await ensureOpenSearchJars({ log });
    await startOpenSearch({ jarsDir, httpPort: port, dataDir, logFile: join(dataDir, 'opensearch.log'), heapMb: 512, log });
    return { started: true, stop: () => stopOpenSearch(dataDir) };
  },

  stop: (s, service) => stopOpenSearch(storeDataDir(s, service)),

  async reset(s, service) {
    // The node is the service's own: every index but the engine's hidden ones.
    const res = await fetch(`${openSearchUrl(s.stores[service].port)}/*,-.*?expand_wildcards=all`, { method: 'DELETE' });
    if (!res.ok && res.status !== 404) throw new Error(`could not reset ${service}'s OpenSearch indices: ${res.status} ${await res.text()}`);
  },

  connection: (s, service) => ({ adminUrl: openSearchUrl(s.stores[service].port), ownerEnv: localOwnerEnv(s, service) }),
};
