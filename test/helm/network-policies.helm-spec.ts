import { APPS, APP_NAMES, SERVICE_NAMES, STORE_KINDS, type AppName, type ServiceName } from '@polystore/manifest';
import { podTemplate, render, type K8sObject } from './chart.ts';
import { PolicySet, inCidr, type Namespace, type Pod } from './network-policy.ts';

/**
 * Database-per-service as a network fact: the rendered NetworkPolicies, evaluated for every pod the
 * release runs (the apps, their schema Jobs, NATS, every store's pods as the operators will label
 * them) and pods outside it, prove that a store's port admits its owner and nobody else.
 */
const RELEASE_NAMESPACE = 'polystore';
const NAMESPACES: Namespace[] = [
  { name: RELEASE_NAMESPACE, labels: { 'kubernetes.io/metadata.name': RELEASE_NAMESPACE } },
  { name: 'monitoring', labels: { 'kubernetes.io/metadata.name': 'monitoring' } },
  { name: 'operators', labels: { 'kubernetes.io/metadata.name': 'operators', 'polystore.io/operators': 'true' } },
  { name: 'kube-system', labels: { 'kubernetes.io/metadata.name': 'kube-system' } },
  { name: 'ingress-nginx', labels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
  { name: 'elsewhere', labels: { 'kubernetes.io/metadata.name': 'elsewhere' } },
];

type Any = any;

/** The labels the chart asks each operator to put on a store's pods (besides the operator's own), read from the resource. */
function storePodLabels(object: K8sObject): Record<string, string> | null {
  const spec: Any = object.spec;
  switch (object.kind) {
    case 'Cluster': // CloudNativePG: inheritedMetadata goes onto every object it creates, pods too
      return { ...spec.inheritedMetadata?.labels };
    case 'MongoDBCommunity': // the StatefulSet override is merged into the one the operator makes
      return { ...spec.statefulSet?.spec?.template?.metadata?.labels };
    case 'OpenSearchCluster': // a node pool's labels go onto its pods
      return { ...spec.nodePools[0].labels };
    case 'ClickHouseInstallation': {
      const name = spec.defaults?.templates?.podTemplate;
      const template = spec.templates.podTemplates.find((t: Any) => t.name === name);
      return { ...template?.metadata?.labels };
    }
    case 'StatefulSet':
      return podTemplate(object).metadata.labels;
    default:
      return null;
  }
}

function pods(objects: K8sObject[]): Pod[] {
  const found: Pod[] = [];
  for (const object of objects) {
    if (['Deployment', 'Job', 'StatefulSet'].includes(object.kind)) {
      const template = podTemplate(object);
      const ports: Record<string, number> = {};
      for (const container of template.spec.containers)
        for (const port of container.ports ?? []) if (port.name) ports[port.name] = port.containerPort;
      found.push({ name: `${object.kind}/${object.metadata.name}`, namespace: RELEASE_NAMESPACE, labels: template.metadata.labels, ports });
    } else {
      const labels = storePodLabels(object);
      if (labels) found.push({ name: `${object.kind}/${object.metadata.name}`, namespace: RELEASE_NAMESPACE, labels });
    }
  }
  // Others: an unlabelled pod of the namespace, and pods in the namespaces policies name or not.
  for (const namespace of NAMESPACES) found.push({ name: `stranger in ${namespace.name}`, namespace: namespace.name, labels: { app: 'stranger' } });
  return found;
}

const storeOf = (pod: Pod): string | undefined => pod.labels['polystore.io/store-of'];
const appOf = (pod: Pod): string | undefined => pod.labels['polystore.io/app'];

describe('network policies', () => {
  let objects: K8sObject[];
  let policies: PolicySet;
  let all: Pod[];

  beforeAll(async () => {
    objects = await render('operators');
    policies = new PolicySet(
      objects.filter((o) => o.kind === 'NetworkPolicy'),
      NAMESPACES,
      RELEASE_NAMESPACE,
    );
    all = pods(objects);
  }, 900_000);

  it('sees every app, its schema Job, NATS and a store pod for every service', () => {
    for (const app of APP_NAMES) expect(all.some((p) => appOf(p) === app && p.labels['polystore.io/role'] === 'server')).toBe(true);
    for (const service of SERVICE_NAMES) {
      expect(all.some((p) => appOf(p) === service && p.labels['polystore.io/role'] === 'schema-setup')).toBe(true);
      expect(all.filter((p) => storeOf(p) === service)).toHaveLength(1);
    }
    expect(all.some((p) => p.labels['app.kubernetes.io/name'] === 'nats')).toBe(true);
  });

  it("admits each store's owner, and no other pod, to the store's port", () => {
    const wrong: string[] = [];
    for (const service of SERVICE_NAMES) {
      const store = all.find((p) => storeOf(p) === service)!;
      const port = STORE_KINDS[APPS[service].store.kind].containerPort;
      for (const pod of all) {
        if (pod === store) continue;
        // The owner's pods, the store's own peers (replication) and its operator, and nobody else.
        const expected = appOf(pod) === service || storeOf(pod) === service || pod.namespace === 'operators';
        if (policies.canConnect(pod, store, port) !== expected)
          wrong.push(`${pod.name} → ${store.name}:${port}: ${expected ? 'refused' : 'admitted'}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("admits no app to another service's store on any port, nor to an app's port", () => {
    const apps = all.filter((p) => appOf(p));
    const wrong: string[] = [];
    for (const pod of apps) {
      for (const target of all.filter((p) => storeOf(p) && storeOf(p) !== appOf(pod))) {
        for (const port of [1, 5432, 6379, 8123, 9000, 9200, 9300, 27017, 65535])
          if (policies.canConnect(pod, target, port)) wrong.push(`${pod.name} → ${target.name}:${port}`);
      }
      // Apps talk over NATS only, never to each other directly.
      for (const target of apps.filter((p) => appOf(p) !== appOf(pod))) {
        const port = APPS[appOf(target) as AppName].httpPort.dev;
        if (policies.canConnect(pod, target, port)) wrong.push(`${pod.name} → ${target.name}:${port}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('admits the apps, and nothing else in the release, to NATS', () => {
    const nats = all.find((p) => p.name === 'StatefulSet/polystore-nats')!;
    for (const pod of all.filter((p) => p !== nats && p.namespace === RELEASE_NAMESPACE)) {
      expect([pod.name, policies.canConnect(pod, nats, 4222)]).toEqual([pod.name, appOf(pod) !== undefined]);
    }
  });

  it("admits clients to the edge's API port, and monitoring to every app's HTTP port", () => {
    const edge = APP_NAMES.find((app) => APPS[app].store === null)!;
    const gateway = all.find((p) => appOf(p) === edge && p.labels['polystore.io/role'] === 'server')!;
    const outsider = all.find((p) => p.name === 'stranger in elsewhere')!;
    expect(policies.canConnect(outsider, gateway, APPS[edge].httpPort.dev)).toBe(true);
    expect(policies.canConnect(outsider, gateway, 22)).toBe(false);
    const monitoring = all.find((p) => p.name === 'stranger in monitoring')!;
    for (const app of APP_NAMES) {
      const pod = all.find((p) => appOf(p) === app && p.labels['polystore.io/role'] === 'server')!;
      expect(policies.canConnect(monitoring, pod, APPS[app].httpPort.dev)).toBe(true);
      if (APPS[app].store) expect(policies.canConnect(outsider, pod, APPS[app].httpPort.dev)).toBe(false);
    }
  });

  it('the evaluation can say yes: without the policies, a stranger reaches every store', () => {
    const open = new PolicySet([], NAMESPACES, RELEASE_NAMESPACE);
    const stranger = all.find((p) => p.name === `stranger in ${RELEASE_NAMESPACE}`)!;
    for (const service of SERVICE_NAMES as ServiceName[]) {
      const store = all.find((p) => storeOf(p) === service)!;
      expect(open.canConnect(stranger, store, STORE_KINDS[APPS[service].store.kind].containerPort)).toBe(true);
      expect(policies.canConnect(stranger, store, STORE_KINDS[APPS[service].store.kind].containerPort)).toBe(false);
    }
  });

  it('with external stores, sends each app only to its own store (address and port), given a block per store', async () => {
    // Each service's managed database in a block of its own: 10.<n>.0.0/16.
    const block = (i: number) => `10.${i + 1}.0.0/16`;
    const sets = SERVICE_NAMES.flatMap((service, i) => ['--set', `stores.${service}.externalCidrs[0]=${block(i)}`]);
    const external = await render('external', sets);
    const set = new PolicySet(
      external.filter((o) => o.kind === 'NetworkPolicy'),
      NAMESPACES,
      RELEASE_NAMESPACE,
    );
    const appPods = pods(external).filter((p) => appOf(p));
    expect(appPods.length).toBeGreaterThan(APP_NAMES.length);
    const wrong: string[] = [];
    SERVICE_NAMES.forEach((service, i) => {
      const database = { name: `${service}'s database`, ip: `10.${i + 1}.0.7` };
      expect(inCidr(database.ip, block(i))).toBe(true);
      for (const pod of appPods) {
        for (const port of new Set(SERVICE_NAMES.map((s) => STORE_KINDS[APPS[s].store.kind].containerPort))) {
          const expected = appOf(pod) === service && port === STORE_KINDS[APPS[service].store.kind].containerPort;
          if (set.canReachExternal(pod, database, port) !== expected)
            wrong.push(`${pod.name} → ${database.name}:${port}: ${expected ? 'refused' : 'admitted'}`);
        }
      }
    });
    expect(wrong).toEqual([]);
  }, 120_000);
});
