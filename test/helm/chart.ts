// Renders the chart with the project's own helm (built on first need, scripts/lib/kube-tools.ts)
// and checks objects against the Kubernetes API's schemas and the operators' CRD schemas, offline.
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv, type ValidateFunction } from 'ajv';
import { CORE_SCHEMA, loadAll, mergeTag } from 'js-yaml';
import { ensureHelm, ensureKubernetesValidate } from '../../scripts/lib/kube-tools.ts';

const run = promisify(execFile);
export const CHART = join(process.cwd(), 'deploy', 'helm', 'polystore');
const CRD_DIR = join(process.cwd(), 'deploy', 'helm', 'operator-crds');
export const KUBERNETES_VERSION = '1.37.0';

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  [key: string]: any;
};

/** The value sets the chart is checked with: files under the chart's ci/ folder. */
export const VALUE_SETS = readdirSync(join(CHART, 'ci'))
  .filter((f) => f.endsWith('-values.yaml'))
  .map((f) => f.replace(/-values\.yaml$/, ''))
  .sort();

let helmBinary: Promise<string> | undefined;
export const helm = (): Promise<string> => (helmBinary ??= ensureHelm({ log: (m) => process.stderr.write(`${m}\n`) }));

export async function helmRun(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(await helm(), args, { maxBuffer: 64 * 1024 * 1024 });
}

export const valueArgs = (set: string, extra: string[] = []): string[] => ['-f', join(CHART, 'ci', `${set}-values.yaml`), ...extra];

/** `helm template` of the chart as release `polystore` in namespace `polystore`. */
export async function render(set: string, extra: string[] = []): Promise<K8sObject[]> {
  const { stdout } = await helmRun(['template', 'polystore', CHART, '--namespace', 'polystore', ...valueArgs(set, extra)]);
  return (loadAll(stdout) as Array<K8sObject | null>).filter((o): o is K8sObject => o !== null);
}

export interface SchemaResult {
  kind: string;
  name: string;
  result: 'valid' | 'invalid' | 'no-schema';
  error: string | null;
}

/** Every object against the Kubernetes API schemas (strict: unknown fields are errors). */
let validatorPython: Promise<string> | undefined;
/** kubernetes-validate's python, installed on first need (a minute or so: call it from a beforeAll). */
export const kubernetesValidate = (): Promise<string> =>
  (validatorPython ??= ensureKubernetesValidate({ log: (m) => process.stderr.write(`${m}\n`) }));

export async function validateAgainstKubernetes(objects: K8sObject[]): Promise<SchemaResult[]> {
  const python = await kubernetesValidate();
  const child = run(python, [join(process.cwd(), 'scripts', 'lib', 'kube-validate.py'), KUBERNETES_VERSION], { maxBuffer: 64 * 1024 * 1024 });
  child.child.stdin!.end(JSON.stringify(objects));
  return JSON.parse((await child).stdout) as SchemaResult[];
}

// ---------------------------------------------------------------- custom resources

interface Crd {
  spec: { group: string; names: { kind: string }; versions: Array<{ name: string; schema: { openAPIV3Schema: Record<string, unknown> } }> };
}

/**
 * As the API server does with strict field validation: a field a structural schema does not
 * declare is an error, unless the schema keeps unknown fields (x-kubernetes-preserve-unknown-fields).
 */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = closeObjects(value);
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

let validators: Map<string, ValidateFunction> | undefined;

/** Validators of the kept CRDs, by `<group>/<version> <Kind>`. */
function crdValidators(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  validators = new Map();
  for (const folder of readdirSync(CRD_DIR, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const file of readdirSync(join(CRD_DIR, folder.name)).filter((f) => f.endsWith('.yaml'))) {
      // Some CRDs share parts of their schemas through YAML merge keys (`<<: *anchor`).
      const text = readFileSync(join(CRD_DIR, folder.name, file), 'utf8');
      for (const crd of loadAll(text, { schema: CORE_SCHEMA.withTags(mergeTag), maxTotalMergeKeys: -1 }) as Crd[]) {
        for (const version of crd.spec.versions) {
          const schema = closeObjects(version.schema.openAPIV3Schema) as Record<string, unknown>;
          // metadata is the API server's, not the CRD's: any object here.
          const properties = { ...(schema.properties as object), metadata: { type: 'object' } };
          validators.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, ajv.compile({ ...schema, properties }));
        }
      }
    }
  }
  return validators;
}

/** Checks a custom resource against its operator's CRD; returns the problems (none: valid). */
export function validateCustomResource(object: K8sObject): string[] {
  const validate = crdValidators().get(`${object.apiVersion} ${object.kind}`);
  if (!validate) return [`no CRD kept for ${object.apiVersion} ${object.kind} (deploy/helm/operator-crds)`];
  if (validate(object)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
  );
}

/** The pod template of a workload (Deployment, StatefulSet, Job). */
export function podTemplate(object: K8sObject): any {
  return object.spec?.template;
}
