#!/usr/bin/env node
// docker-compose's first-start step for a service's OpenSearch node: a CA and the node's
// certificate (kept when already there), and the CA's certificate alone in a second folder, which
// is all the owning service is given.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_COMMON_NAME } from './lib/stores/opensearch-security.ts';
import { ensureServerCertificate } from './lib/stores/tls.ts';

const [tlsDir, caDir, uid, ...hosts] = process.argv.slice(2);
if (!tlsDir || !caDir || !/^\d+$/.test(uid ?? '') || hosts.length === 0) {
  console.error('usage: node scripts/gen-opensearch-tls.mjs <tls folder> <ca folder> <uid of the node> <host name>...');
  process.exit(2);
}
const owner = { uid: Number(uid), gid: Number(uid) };
const files = ensureServerCertificate({ dir: tlsDir, commonName: NODE_COMMON_NAME, hosts: ['localhost', '127.0.0.1', ...hosts], owner });
mkdirSync(caDir, { recursive: true });
copyFileSync(files.caFile, join(caDir, 'ca.pem'));
console.log(`OpenSearch TLS in ${tlsDir} (for ${hosts.join(', ')}); CA certificate in ${caDir}`);
