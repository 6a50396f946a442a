// A private certificate authority for a store that needs TLS (OpenSearch's security plugin
// requires it on its transport and we use it on HTTP too): a CA and one server certificate,
// generated on first need with Node's crypto only, so it works the same on a bare machine and
// in docker-compose's init container (no openssl there). Kept in the stack's data folder, never
// in the repository.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';

// ---------------------------------------------------------------- DER, just what a certificate needs

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const der = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
};
const sequence = (...items: Buffer[]) => der(0x30, ...items);
const set = (...items: Buffer[]) => der(0x31, ...items);
const utf8 = (text: string) => der(0x0c, Buffer.from(text, 'utf8'));
const octets = (bytes: Buffer) => der(0x04, bytes);
const bitString = (bytes: Buffer) => der(0x03, Buffer.from([0]), bytes);
const boolean = (value: boolean) => der(0x01, Buffer.from([value ? 0xff : 0]));
/** A non-negative INTEGER from big-endian bytes (a leading 0 keeps it positive). */
const unsigned = (bytes: Buffer) => der(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [a * 40 + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return date.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(iso.slice(2))) : der(0x18, Buffer.from(iso));
}

const name = (commonName: string) => sequence(set(sequence(oid('2.5.4.3'), utf8(commonName))), set(sequence(oid('2.5.4.10'), utf8('polystore'))));
const extension = (id: string, critical: boolean, value: Buffer) => sequence(oid(id), ...(critical ? [boolean(true)] : []), octets(value));
const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), der(0x05));

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  throw new Error(`only IPv4 addresses go into the certificate here, not ${ip}`);
}

interface CertificateRequest {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  ca: boolean;
  /** Server certificates: DNS names and IPv4 addresses it answers for. */
  hosts?: string[];
  days: number;
}

/** A signed X.509 v3 certificate, PEM. */
function certificate({ subject, issuer, publicKey, signingKey, ca, hosts = [], days }: CertificateRequest): string {
  const now = Date.now();
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = createHash('sha1').update(spki).digest();
  const extensions = [
    extension('2.5.29.19', true, sequence(...(ca ? [boolean(true)] : []))), // basicConstraints
    // keyUsage: CA → keyCertSign + cRLSign; server → digitalSignature + keyEncipherment.
    extension('2.5.29.15', true, bitString(Buffer.from([ca ? 0x06 : 0xa0]))),
    extension('2.5.29.14', false, octets(keyId)), // subjectKeyIdentifier
  ];
  if (!ca) {
    // extendedKeyUsage serverAuth + clientAuth: the node's certificate also opens its transport connections.
    extensions.push(extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))));
    const names = hosts.map((host) => (isIP(host) ? der(0x87, ipBytes(host)) : der(0x82, Buffer.from(host, 'ascii'))));
    extensions.push(extension('2.5.29.17', false, sequence(...names))); // subjectAltName
  }
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))), // v3
    unsigned(randomBytes(16)),
    SHA256_WITH_RSA,
    name(issuer),
    sequence(time(new Date(now - 60_000)), time(new Date(now + days * 86_400_000))),
    name(subject),
    spki,
    der(0xa3, sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, signingKey);
  const body = sequence(tbs, SHA256_WITH_RSA, bitString(signature)).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${body.replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
}

// ---------------------------------------------------------------- the files

export interface TlsFiles {
  /** The CA's certificate: what clients trust. */
  caFile: string;
  /** The server's certificate and its PKCS#8 key. */
  certFile: string;
  keyFile: string;
}

export const tlsFiles = (dir: string): TlsFiles => ({ caFile: join(dir, 'ca.pem'), certFile: join(dir, 'node.pem'), keyFile: join(dir, 'node.key') });

const newRsaKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

/**
 * Makes sure dir holds a CA (ca.pem, ca.key) and a server certificate it signed (node.pem,
 * node.key, subject `CN=<commonName>, O=polystore`, valid for `hosts`). Kept when present and
 * still naming every host; each file is written to a temp name and renamed, keys readable only by
 * their owner (or by `owner` when given: a container's user).
 */
export function ensureServerCertificate({
  dir,
  commonName,
  hosts,
  owner,
}: {
  dir: string;
  commonName: string;
  hosts: string[];
  owner?: { uid: number; gid: number };
}): TlsFiles {
  const files = tlsFiles(dir);
  const caKeyFile = join(dir, 'ca.key');
  const hostsFile = join(dir, 'node.hosts');
  const wanted = `${commonName}\n${[...hosts].sort().join('\n')}\n`;
  if ([files.caFile, caKeyFile, files.certFile, files.keyFile].every((f) => existsSync(f)) && readIfExists(hostsFile) === wanted) return files;
  mkdirSync(dir, { recursive: true });
  const write = (file: string, text: string, mode: number) => {
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, text, { mode });
    chmodSync(tmp, mode);
    if (owner) chownIfRoot(tmp, owner);
    renameSync(tmp, file);
  };
  let caKey: KeyObject;
  if (existsSync(caKeyFile) && existsSync(files.caFile)) caKey = createPrivateKey(readFileSync(caKeyFile));
  else {
    caKey = newRsaKey();
    const caCert = certificate({
      subject: 'polystore-ca',
      issuer: 'polystore-ca',
      publicKey: createPublicKey(caKey),
      signingKey: caKey,
      ca: true,
      days: 3650,
    });
    write(caKeyFile, caKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
    write(files.caFile, caCert, 0o644);
  }
  const nodeKey = newRsaKey();
  const nodeCert = certificate({
    subject: commonName,
    issuer: 'polystore-ca',
    publicKey: createPublicKey(nodeKey),
    signingKey: caKey,
    ca: false,
    hosts,
    days: 825,
  });
  write(files.keyFile, nodeKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
  write(files.certFile, nodeCert, 0o644);
  write(hostsFile, wanted, 0o644);
  return files;
}

function readIfExists(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** In a container's init step (run as root), hands a file to the store's user; elsewhere the writer keeps it. */
function chownIfRoot(file: string, { uid, gid }: { uid: number; gid: number }): void {
  if (process.getuid?.() === 0) chownSync(file, uid, gid);
}
