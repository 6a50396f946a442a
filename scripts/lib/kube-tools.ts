// The tools that check the Helm chart without a cluster, built or installed on first need into the
// cache outside the clone (${XDG_CACHE_HOME:-~/.cache}/polystore/), like FerretDB's binary:
// - helm, built from the Go module proxy (helm.sh/helm/v3, its cmd/helm);
// - kubernetes-validate, from PyPI into a virtual environment: it ships the Kubernetes API's
//   JSON schemas, so objects are checked against the real ones offline.
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { commandFailed, execute, findExecutable, type RunOptions } from './proc.ts';

type Log = (msg: string) => void;

export const HELM_VERSION = 'v3.22.0';
const HELM_MODULE = 'helm.sh/helm/v3';
export const KUBERNETES_VALIDATE_VERSION = '1.37.0';

const cacheRoot = (): string => join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'polystore');

async function stdoutOf(cmd: string, args: string[], options: RunOptions = {}): Promise<string> {
  const finished = await execute(cmd, args, options);
  if (finished.code !== 0) throw commandFailed(finished);
  return finished.stdout;
}

async function helmReports(binary: string): Promise<string | null> {
  try {
    return (await stdoutOf(binary, ['version', '--template', '{{.Version}}'], { timeoutMs: 15_000 })).trim();
  } catch {
    return null;
  }
}

/** The path of a helm binary of HELM_VERSION, built on first need (~3-5 min on 2 cores with a cold Go cache). */
export async function ensureHelm({ log = () => {} }: { log?: Log } = {}): Promise<string> {
  const dir = join(cacheRoot(), `helm-${HELM_VERSION}`);
  const binary = join(dir, 'helm');
  if (existsSync(binary) && (await helmReports(binary)) === HELM_VERSION) return binary;
  const go = process.env.GO || findExecutable('go', ['/usr/local/go/bin', join(homedir(), 'go', 'bin'), join(homedir(), 'sdk', 'go', 'bin')]);
  if (!go)
    throw new Error(
      `helm ${HELM_VERSION} is built from the Go module proxy, but no \`go\` command was found (Go >= 1.26 is needed; point GO at one)`,
    );
  log(`building helm ${HELM_VERSION} from the Go module proxy (first run only, a few minutes)`);
  mkdirSync(dirname(dir), { recursive: true });
  const work = mkdtempSync(join(dirname(dir), `.helm-build-${HELM_VERSION}-`));
  const env = { GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };
  try {
    const info = JSON.parse(await stdoutOf(go, ['mod', 'download', '-json', `${HELM_MODULE}@${HELM_VERSION}`], { cwd: work, env })) as {
      Dir?: string;
      Error?: string;
    };
    if (info.Error || !info.Dir) throw new Error(`go mod download ${HELM_MODULE}@${HELM_VERSION}: ${info.Error || 'no Dir'}`);
    // Built inside a copy of the module, with its own go.mod/go.sum: the release's dependency versions.
    const src = join(work, 'src');
    cpSync(info.Dir, src, { recursive: true });
    await stdoutOf('chmod', ['-R', 'u+w', src]);
    const out = join(work, 'helm');
    const ldflags = `-X ${HELM_MODULE}/internal/version.version=${HELM_VERSION}`;
    await stdoutOf(go, ['build', '-trimpath', '-buildvcs=false', '-ldflags', ldflags, '-o', out, './cmd/helm'], { cwd: src, env });
    const built = await helmReports(out);
    if (built !== HELM_VERSION) throw new Error(`the freshly built helm reports ${built ?? '(it did not run)'}, expected ${HELM_VERSION}`);
    mkdirSync(dir, { recursive: true });
    renameSync(out, binary);
    log(`built helm ${HELM_VERSION}: ${binary}`);
    return binary;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The python of a virtual environment holding kubernetes-validate, made on first need. */
export async function ensureKubernetesValidate({ log = () => {} }: { log?: Log } = {}): Promise<string> {
  const dir = join(cacheRoot(), `kubernetes-validate-${KUBERNETES_VALIDATE_VERSION}`);
  const python = join(dir, 'bin', 'python');
  const probe = [
    '-c',
    'import kubernetes_validate, sys; sys.stdout.write(kubernetes_validate.__version__ if hasattr(kubernetes_validate, "__version__") else "ok")',
  ];
  if (existsSync(python) && (await execute(python, probe)).code === 0) return python;
  const system = findExecutable('python3', ['/usr/bin', '/usr/local/bin']);
  if (!system)
    throw new Error(`kubernetes-validate ${KUBERNETES_VALIDATE_VERSION} installs from PyPI into a virtual environment, but no python3 was found`);
  log(`installing kubernetes-validate ${KUBERNETES_VALIDATE_VERSION} from PyPI into ${dir} (first run only)`);
  mkdirSync(dirname(dir), { recursive: true });
  const work = mkdtempSync(join(dirname(dir), '.kubernetes-validate-'));
  try {
    const venv = await execute(system, ['-m', 'venv', work]);
    if (venv.code !== 0) {
      throw new Error(`${venv.summary}: python3's venv module is missing (Debian: apt-get install python3-venv)\n${venv.output.slice(-2000)}`);
    }
    await stdoutOf(join(work, 'bin', 'pip'), [
      'install',
      '--quiet',
      '--disable-pip-version-check',
      `kubernetes-validate==${KUBERNETES_VALIDATE_VERSION}`,
    ]);
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  // A virtual environment's scripts name its folder: moved after pip ran, it is re-made in place once.
  if ((await execute(python, probe)).code !== 0) {
    await stdoutOf(system, ['-m', 'venv', dir]);
    await stdoutOf(join(dir, 'bin', 'pip'), [
      'install',
      '--quiet',
      '--disable-pip-version-check',
      `kubernetes-validate==${KUBERNETES_VALIDATE_VERSION}`,
    ]);
  }
  return python;
}
