// ESLint rule `polystore/boundaries`: the ownership rules of docs/architecture.md, checked on every import.
//  - an app never imports another app;
//  - libs/ never import apps/;
//  - a store driver is imported only under its owner's src/store/ (or the owner's tests).
// ESLint rule `polystore/layers`: the layers inside one app (apps/<app>/src/<layer>/).
//  - domain/ imports nothing from its app's api/, store/, events/ or cli/;
//  - store/ does not import its app's api/.
import { dirname, relative, resolve, sep } from 'node:path';
import { APPS, SERVICE_NAMES, STORE_KINDS } from '../../manifest.ts';

/**
 * Driver package → the services that may import it (those owning a store of its kind), and
 * generated clients (Prisma: generated/<service>) → their owner; both from the manifest.
 */
export const STORE_DRIVERS = {};
const GENERATED = {};
for (const service of SERVICE_NAMES) {
  const kind = APPS[service].store.kind;
  for (const driver of STORE_KINDS[kind].drivers) (STORE_DRIVERS[driver] ??= []).push(service);
  if (kind === 'postgres') GENERATED[`generated/${service}`] = service;
}

function area(root, file) {
  const parts = relative(root, file).split(sep);
  if (parts[0] === 'apps' && parts[1]) return { kind: 'app', name: parts[1], rest: parts.slice(2).join('/') };
  if (parts[0] === 'libs' && parts[1]) return { kind: 'lib', name: parts[1], rest: parts.slice(2).join('/') };
  return { kind: 'other', name: parts[0], rest: parts.slice(1).join('/') };
}

function packageName(spec) {
  if (spec.startsWith('.') || spec.startsWith('/')) return null;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function mayUseDriverOf(owner, from) {
  return from.kind === 'app' && from.name === owner && (from.rest.startsWith('src/store/') || from.rest.startsWith('test/'));
}

export const boundaries = {
  meta: { type: 'problem', schema: [], messages: { violation: '{{why}}' } },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const from = area(root, file);
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      const report = (why) => context.report({ node, messageId: 'violation', data: { why } });
      const pkg = packageName(spec);
      const owners = pkg ? STORE_DRIVERS[pkg] : undefined;
      if (owners && !owners.some((owner) => mayUseDriverOf(owner, from))) {
        const where = owners.map((owner) => `apps/${owner}/src/store/`).join(' or ');
        return report(`store driver ${pkg} belongs to ${owners.join(', ')}; import it only under ${where}`);
      }
      if (pkg) return;
      const target = area(root, resolve(dirname(file), spec));
      for (const [path, owner] of Object.entries(GENERATED)) {
        if (resolve(dirname(file), spec).startsWith(resolve(root, path)) && !mayUseDriverOf(owner, from)) {
          return report(`the generated ${owner} client is a store driver; import it only under apps/${owner}/src/store/`);
        }
      }
      if (from.kind === 'app' && target.kind === 'app' && target.name !== from.name) {
        return report(`app ${from.name} imports app ${target.name}: apps talk over NATS, sharing only libs/`);
      }
      if (from.kind === 'lib' && target.kind === 'app') {
        return report(`lib ${from.name} imports app ${target.name}: libs never depend on apps`);
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

/** Inside an app: layer → the layers of the same app it must not import, and why. */
export const FORBIDDEN_LAYERS = {
  domain: {
    api: 'domain holds rules only, no I/O',
    store: 'domain holds rules only, no I/O',
    events: 'domain holds rules only, no I/O',
    cli: 'domain holds rules only, no I/O',
  },
  store: {
    api: 'api/ calls the store, never the other way round',
  },
};

/** The layer of a file inside an app's src/ (`domain`, `store`, ...), or null outside one. */
function layerOf(where) {
  if (where.kind !== 'app') return null;
  const parts = where.rest.split('/');
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : null;
}

export const layers = {
  meta: { type: 'problem', schema: [], messages: { violation: '{{why}}' } },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const from = area(root, file);
    const forbidden = FORBIDDEN_LAYERS[layerOf(from)];
    if (!forbidden) return {};
    const check = (node, spec) => {
      // Only relative imports reach another layer; packages and @polystore/* aliases do not.
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = area(root, resolve(dirname(file), spec));
      if (target.kind !== 'app' || target.name !== from.name) return;
      const layer = layerOf(target);
      if (layer && forbidden[layer]) {
        context.report({ node, messageId: 'violation', data: { why: `${layerOf(from)}/ must not import ${layer}/: ${forbidden[layer]}` } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { boundaries, layers } };
