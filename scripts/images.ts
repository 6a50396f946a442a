#!/usr/bin/env node
// `npm run images [-- --tag <tag>]`: builds the one Dockerfile once per app of manifest.ts
// (polystore-<app>:<tag>, with APP set) and as polystore:<tag> (the Helm chart's image, which
// names the app in its command). Needs a Docker engine; says so and stops when none answers.
import { APP_NAMES } from '../manifest.ts';
import { execute, findExecutable, run } from './lib/proc.ts';

const args = process.argv.slice(2);
const tagAt = args.indexOf('--tag');
const pkg = (await import('../package.json', { with: { type: 'json' } })).default as { version: string };
const tag = tagAt >= 0 ? args[tagAt + 1] : pkg.version;
if (!tag) throw new Error('--tag needs a value');

const docker = findExecutable('docker');
if (!docker) {
  console.error('npm run images: no `docker` command here, so no image was built (it needs a Docker engine).');
  process.exit(1);
}
const info = await execute(docker, ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 15_000 });
if (info.code !== 0) {
  console.error(
    `npm run images: no Docker engine answers (\`docker info\`: ${info.output.trim().split('\n').slice(-1)[0] ?? info.summary}), so no image was built.`,
  );
  process.exit(1);
}
console.log(`Docker engine ${info.stdout.trim()}: building polystore:${tag} and one image per app (${APP_NAMES.length})`);
await run(docker, ['build', '--tag', `polystore:${tag}`, '.'], {});
// Every app's image is the same build (cached layers) with its APP default.
for (const app of APP_NAMES) await run(docker, ['build', '--build-arg', `APP=${app}`, '--tag', `polystore-${app}:${tag}`, '.'], {});
console.log(`built: polystore:${tag}, ${APP_NAMES.map((app) => `polystore-${app}:${tag}`).join(', ')}`);
