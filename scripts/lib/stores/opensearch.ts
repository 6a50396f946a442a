// A service's own OpenSearch node, from Maven Central jars (opensearch-node.ts), with the security
// plugin (opensearch-security.ts): TLS with the stack's own CA, the operators' user, and the
// owner's user whose role reaches only the owner's indices.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { portOpen } from '../proc.ts';
import { adminLogin, serviceCredentials, type ServiceName, type Stack } from '../stack.ts';
import { ensureOpenSearchJars, startOpenSearch, stopOpenSearch } from './opensearch-node.ts';
import {
  NODE_COMMON_NAME,
  ensureSecurityPlugin,
  openSearchRequest,
  internalUsersFile,
  securityConfigFiles,
  syncServiceAccess,
  type SecureEndpoint,
} from './opensearch-security.ts';
import { NOTHING_STARTED, localOwnerEnv, say, storeDataDir, type StoreProvisioner } from './provisioner.ts';
import { ensureServerCertificate } from './tls.ts';

const log = (msg: string) => say(`opensearch: ${msg}`);

const openSearchUrl = (port: number) => `https://127.0.0.1:${port}`;

/** The node's CA, certificate and key: generated on the first start, kept in the store's data folder. */
const tlsDir = (s: Stack, service: ServiceName) => join(storeDataDir(s, service), 'tls');

function ensureTls(s: Stack, service: ServiceName) {
  return ensureServerCertificate({ dir: tlsDir(s, service), commonName: NODE_COMMON_NAME, hosts: ['localhost', '127.0.0.1'] });
}

/** Operators' access: HTTPS as the `all_access` user, trusting the node's CA. */
export function openSearchAdmin(s: Stack, service: ServiceName): SecureEndpoint {
  return { url: openSearchUrl(s.stores[service].port), ca: readFileSync(ensureTls(s, service).caFile), login: adminLogin(s, 'opensearch') };
}

export const OPENSEARCH: StoreProvisioner = {
  async ensure(s, service) {
    const { port } = s.stores[service];
    const dataDir = storeDataDir(s, service);
    if (await portOpen(port)) {
      say(`opensearch (${service}) already up on ${port}; reusing it`);
      await syncServiceAccess(openSearchAdmin(s, service), service, serviceCredentials(s, service)).catch((error: Error) => {
        throw new Error(
          `port ${port} answers, but not as ${service}'s secured OpenSearch node (${error.message}); stop it (npm run infra:down) and start again`,
        );
      });
      return NOTHING_STARTED;
    }
    const jarsDir = await ensureOpenSearchJars({ log });
    const pluginDir = await ensureSecurityPlugin(jarsDir, log);
    const admin = adminLogin(s, 'opensearch');
    const configFiles = { ...securityConfigFiles(service), 'internal_users.yml': internalUsersFile(service, admin, serviceCredentials(s, service)) };
    const security = { pluginDir, tls: ensureTls(s, service), configFiles, admin };
    const node = await startOpenSearch({ jarsDir, security, httpPort: port, dataDir, logFile: join(dataDir, 'opensearch.log'), heapMb: 512, log });
    try {
      await syncServiceAccess(openSearchAdmin(s, service), service, serviceCredentials(s, service));
    } catch (error) {
      await node.stop();
      throw error;
    }
    return { started: true, stop: () => stopOpenSearch(dataDir) };
  },

  stop: (s, service) => stopOpenSearch(storeDataDir(s, service)),

  async reset(s, service) {
    // The node is the service's own: every index but the engine's hidden ones (the security index among them).
    const res = await openSearchRequest(openSearchAdmin(s, service), 'DELETE', '/*,-.*?expand_wildcards=all');
    if (res.status !== 200 && res.status !== 404)
      throw new Error(`could not reset ${service}'s OpenSearch indices: ${res.status} ${JSON.stringify(res.body)}`);
  },

  connection: (s, service) => {
    const admin = adminLogin(s, 'opensearch');
    return { adminUrl: `https://${admin.user}:${admin.password}@127.0.0.1:${s.stores[service].port}`, ownerEnv: localOwnerEnv(s, service) };
  },
};
