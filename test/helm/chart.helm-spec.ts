import { APPS, APP_NAMES, SERVICE_NAMES, STORE_KINDS } from '@polystore/manifest';
import {
  CHART,
  VALUE_SETS,
  kubernetesValidate,
  helmRun,
  podTemplate,
  render,
  validateAgainstKubernetes,
  validateCustomResource,
  valueArgs,
  type K8sObject,
} from './chart.ts';

/**
 * The Helm chart, checked without a cluster: helm lint --strict, helm template over every value set
 * under the chart's ci/ folder, each rendered object against the Kubernetes API's schemas (and the
 * operators' CRD schemas for custom resources), and what every workload must carry.
 */
const consumers = APP_NAMES.filter((app) => APPS[app].consumes.length > 0);
// Every consumer also scales on its pending messages in these renders, to check that form too.
const pendingOn = consumers.flatMap((app) => ['--set', `apps.${app}.autoscaling.pendingMessages.enabled=true`]);
const storeUrlVariables = SERVICE_NAMES.map((s) => `${APPS[s].envPrefix}_${STORE_KINDS[APPS[s].store.kind].urlVariable}`);
const CUSTOM_GROUPS = /(cnpg\.io|mongodb\.com|opensearch\.org|altinity\.com)\//;

describe('the Helm chart', () => {
  const rendered = new Map<string, K8sObject[]>();

  beforeAll(async () => {
    // The first run on a machine builds helm from the Go module proxy and installs kubernetes-validate.
    await kubernetesValidate();
    for (const set of VALUE_SETS) rendered.set(set, await render(set, pendingOn));
  }, 900_000);

  it('has the value sets it is checked with', () => {
    expect(VALUE_SETS).toEqual(expect.arrayContaining(['external', 'minimal', 'operators']));
  });

  it.each(VALUE_SETS)('passes helm lint --strict with the %s values', async (set) => {
    const { stdout } = await helmRun(['lint', '--strict', CHART, ...valueArgs(set, pendingOn)]);
    expect(stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('refuses values its schema (values.schema.json) does not allow', async () => {
    await expect(helmRun(['template', 'polystore', CHART, '--set', 'storesMode=operator'])).rejects.toThrow(/storesMode.*one of/s);
    await expect(helmRun(['template', 'polystore', CHART, '--set', 'natsStreamReplicas=0'])).rejects.toThrow(/natsStreamReplicas/);
  });

  it.each(VALUE_SETS)('renders, with the %s values, only objects the Kubernetes API schemas accept', async (set) => {
    const objects = rendered.get(set)!;
    const results = await validateAgainstKubernetes(objects.filter((o) => !CUSTOM_GROUPS.test(o.apiVersion)));
    expect(results.length).toBeGreaterThan(20);
    expect(results.filter((r) => r.result !== 'valid')).toEqual([]);
  });

  it('the Kubernetes schema check refuses a field that does not exist and a wrong type', async () => {
    const deployment = rendered.get('operators')!.find((o) => o.kind === 'Deployment')!;
    const typo = structuredClone(deployment);
    typo.spec.template.spec.containers[0].livenessProbes = typo.spec.template.spec.containers[0].livenessProbe;
    const wrongType = structuredClone(deployment);
    wrongType.spec.replicas = 'two';
    const results = await validateAgainstKubernetes([typo, wrongType]);
    expect(results.map((r) => r.result)).toEqual(['invalid', 'invalid']);
  });

  it("renders the stores' custom resources the operators' CRD schemas accept", () => {
    const custom = rendered.get('operators')!.filter((o) => CUSTOM_GROUPS.test(o.apiVersion));
    // One store resource per service but Redis (a StatefulSet), plus PostgreSQL's scheduled backups.
    const kinds = new Set(SERVICE_NAMES.map((s) => APPS[s].store.kind));
    expect(custom.length).toBeGreaterThanOrEqual([...kinds].filter((k) => k !== 'redis').length);
    expect(custom.map((o) => ({ kind: o.kind, name: o.metadata.name, problems: validateCustomResource(o) }))).toEqual(
      custom.map((o) => ({ kind: o.kind, name: o.metadata.name, problems: [] })),
    );
  });

  it('the CRD schema check refuses a field the operator does not know and a value out of its enum', () => {
    const custom = rendered.get('operators')!.filter((o) => CUSTOM_GROUPS.test(o.apiVersion));
    for (const object of custom) {
      const typo = structuredClone(object);
      typo.spec.replicaz = 3;
      expect(validateCustomResource(typo).join()).toMatch(/additional properties.*replicaz/);
    }
    const mongo = custom.find((o) => o.kind === 'MongoDBCommunity');
    if (mongo) expect(validateCustomResource({ ...mongo, spec: { ...mongo.spec, type: 'Sharded' } }).join()).toMatch(/allowed values/);
  });

  it.each(VALUE_SETS)('gives every app of the manifest its Deployment, Service, ConfigMap, autoscaler and disruption budget (%s)', (set) => {
    const objects = rendered.get(set)!;
    const named = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);
    for (const kind of ['Deployment', 'Service', 'ConfigMap', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceAccount']) {
      expect(named(kind)).toEqual(expect.arrayContaining(APP_NAMES.map((app) => `polystore-${app}`)));
    }
  });

  it("runs each service's schema setup as a Job after install and before upgrade, never for the edge", () => {
    const jobs = rendered.get('operators')!.filter((o) => o.kind === 'Job');
    expect(jobs.map((j) => j.metadata.name).sort()).toEqual(SERVICE_NAMES.map((s) => `polystore-${s}-schema`).sort());
    for (const job of jobs) {
      expect(job.metadata.annotations?.['helm.sh/hook']).toBe('post-install,pre-upgrade');
      expect(podTemplate(job).spec.containers[0].env).toEqual(expect.arrayContaining([{ name: 'POLYSTORE_SCHEMA_SETUP_ONLY', value: 'true' }]));
    }
  });

  it('runs one store per service through its operator in operators mode, none in external mode', () => {
    const storeOf = (objects: K8sObject[]) =>
      objects.filter((o) => CUSTOM_GROUPS.test(o.apiVersion) || o.kind === 'StatefulSet').filter((o) => o.kind !== 'ScheduledBackup');
    const operators = storeOf(rendered.get('operators')!).filter((o) => !o.metadata.name.includes('nats'));
    expect(operators.map((o) => o.metadata.name).sort()).toEqual(
      SERVICE_NAMES.map(
        (s) => `polystore-${s}-${{ postgres: 'pg', mongodb: 'mongo', opensearch: 'os', clickhouse: 'ch', redis: 'redis' }[APPS[s].store.kind]}`,
      ).sort(),
    );
    expect(storeOf(rendered.get('external')!).filter((o) => !o.metadata.name.includes('nats'))).toEqual([]);
  });

  it.each(VALUE_SETS)(
    'every container has requests, limits and a non-root, locked-down security context; every server container has probes (%s)',
    (set) => {
      const workloads = rendered.get(set)!.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind));
      expect(workloads.length).toBeGreaterThanOrEqual(APP_NAMES.length);
      const problems: string[] = [];
      for (const workload of workloads) {
        const pod = podTemplate(workload).spec;
        for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
          const where = `${workload.kind}/${workload.metadata.name}/${container.name}`;
          const security = { ...pod.securityContext, ...container.securityContext };
          for (const resource of ['cpu', 'memory']) {
            if (!container.resources?.limits?.[resource]) problems.push(`${where}: no ${resource} limit`);
            if (!container.resources?.requests?.[resource]) problems.push(`${where}: no ${resource} request`);
          }
          if (security.runAsNonRoot !== true) problems.push(`${where}: may run as root`);
          if (security.runAsUser === 0) problems.push(`${where}: runs as uid 0`);
          if (container.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${where}: privilege escalation allowed`);
          if (!container.securityContext?.capabilities?.drop?.includes('ALL')) problems.push(`${where}: capabilities not dropped`);
          if ((container.securityContext?.seccompProfile ?? pod.securityContext?.seccompProfile)?.type !== 'RuntimeDefault')
            problems.push(`${where}: no RuntimeDefault seccomp`);
          // A Job's container runs to completion: it has nothing to probe.
          if (workload.kind !== 'Job')
            for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) if (!container[probe]) problems.push(`${where}: no ${probe}`);
        }
      }
      expect(problems).toEqual([]);
    },
  );

  it("probes the apps' /health/live and /health/ready on their HTTP port, with a read-only root file system", () => {
    for (const app of APP_NAMES) {
      const deployment = rendered.get('operators')!.find((o) => o.kind === 'Deployment' && o.metadata.name === `polystore-${app}`)!;
      const container = podTemplate(deployment).spec.containers[0];
      expect(container.ports).toEqual([{ name: 'http', containerPort: APPS[app].httpPort.dev, protocol: 'TCP' }]);
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.startupProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    }
  });

  it('gives each app only its own Secret, and the chart holds no credential', () => {
    for (const set of VALUE_SETS) {
      const objects = rendered.get(set)!;
      expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
      for (const app of APP_NAMES) {
        const workloads = objects.filter((o) => ['Deployment', 'Job'].includes(o.kind) && o.metadata.labels?.['polystore.io/app'] === app);
        for (const workload of workloads) {
          const container = podTemplate(workload).spec.containers[0];
          const secretRefs = [
            ...(container.envFrom ?? [])
              .filter((e: { secretRef?: unknown }) => e.secretRef)
              .map((e: { secretRef: { name: string } }) => e.secretRef.name),
            ...(container.env ?? [])
              .filter((e: { valueFrom?: { secretKeyRef?: unknown } }) => e.valueFrom?.secretKeyRef)
              .map((e: { valueFrom: { secretKeyRef: { name: string } } }) => e.valueFrom.secretKeyRef.name),
          ];
          // Its own Secret, and in operators mode the one its store's operator writes for it.
          for (const name of secretRefs) expect(name === `polystore-${app}` || name.startsWith(`polystore-${app}-`)).toBe(true);
          expect(secretRefs).toContain(`polystore-${app}`);
          const literal = (container.env ?? []).filter(
            (v: { name: string }) => 'value' in v && (/PASSWORD|_KEY$/.test(v.name) || storeUrlVariables.includes(v.name)),
          );
          expect(literal).toEqual([]);
        }
      }
      const configMaps = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.['polystore.io/app']);
      for (const configMap of configMaps)
        for (const name of Object.keys(configMap.data ?? {}))
          expect(name).not.toMatch(/PASSWORD|SECRET|PRIVATE_KEY|_(DATABASE|REDIS|MONGODB|OPENSEARCH|CLICKHOUSE)_URL$/);
    }
  });

  it('scales the edge on CPU and each consumer also on its pending messages when the metric is enabled', () => {
    const hpas = rendered.get('operators')!.filter((o) => o.kind === 'HorizontalPodAutoscaler');
    for (const app of APP_NAMES) {
      const hpa = hpas.find((h) => h.metadata.name === `polystore-${app}`)!;
      const types = hpa.spec.metrics.map((m: { type: string }) => m.type);
      expect(types).toContain('Resource');
      expect(types.includes('External')).toBe(consumers.includes(app));
      // The autoscaler owns the count: a Deployment with one would be reset by every upgrade.
      const deployment = rendered.get('operators')!.find((o) => o.kind === 'Deployment' && o.metadata.name === `polystore-${app}`)!;
      expect(deployment.spec.replicas).toBeUndefined();
    }
  });

  it("renders the NATS cluster with JetStream on file storage and a user per app whose password comes from that app's Secret", async () => {
    const objects = rendered.get('operators')!;
    const nats = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'polystore-nats')!;
    expect(nats.spec.replicas).toBe(3);
    expect(nats.spec.volumeClaimTemplates.map((v: K8sObject) => v.metadata.name)).toEqual(expect.arrayContaining([expect.stringMatching(/js/)]));
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'polystore-nats-config')!.data['nats.conf'] as string;
    expect(config).toMatch(/"jetstream"/);
    for (const app of APP_NAMES) {
      expect(config).toContain(`"password": $${APPS[app].envPrefix}_NATS_PASSWORD`);
      const env = podTemplate(nats).spec.containers.find((c: { name: string }) => c.name === 'nats').env;
      expect(env).toEqual(
        expect.arrayContaining([
          {
            name: `${APPS[app].envPrefix}_NATS_PASSWORD`,
            valueFrom: { secretKeyRef: { name: `polystore-${app}`, key: `${APPS[app].envPrefix}_NATS_PASSWORD` } },
          },
        ]),
      );
    }
  });
});
