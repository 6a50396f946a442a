// Every checked-in file derived from the manifest, by path: `npm run generate` writes them, and a
// unit test (test/lint/derived-files.spec.ts) fails when a checked-in copy differs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPS, APP_NAMES } from '../../manifest.ts';
import { composeFiles } from './compose.ts';
import { helmFiles } from './helm.ts';
import { ownershipMapSection, replaceSection } from './ownership-map.ts';
import { ROOT } from './proc.ts';

/** nest-cli.json: one project per app and lib (monorepo mode, tsc builder). */
export function nestCliJson(): string {
  const projects: Record<string, object> = {};
  for (const app of APP_NAMES) projects[app] = { type: 'application', root: `apps/${app}`, entryFile: 'main', sourceRoot: `apps/${app}/src` };
  const libs = readdirSync(join(ROOT, 'libs')).sort();
  for (const lib of libs) projects[lib] = { type: 'library', root: `libs/${lib}`, entryFile: 'index', sourceRoot: `libs/${lib}/src` };
  // The default project is the edge (the app without a store).
  const edge = APP_NAMES.find((app) => APPS[app].store === null) ?? APP_NAMES[0];
  const file = {
    $schema: 'https://json.schemastore.org/nest-cli',
    collection: '@nestjs/schematics',
    monorepo: true,
    root: `apps/${edge}`,
    sourceRoot: `apps/${edge}/src`,
    compilerOptions: { builder: 'tsc', tsConfigPath: 'tsconfig.build.json', deleteOutDir: false },
    projects,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The derived files that exist whatever the services (the store set-up files under docker/stores/ come and go with them). */
export const DERIVED_FILES = [
  'docker-compose.yml',
  'docker/nats/auth.conf',
  'docker/prometheus/prometheus.yml',
  'docker/grafana/dashboards/overview.json',
  'nest-cli.json',
  'README.md',
  'deploy/helm/polystore/values.yaml',
];

export async function derivedFiles(): Promise<Record<string, string>> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return {
    ...composeFiles(),
    ...helmFiles(),
    'nest-cli.json': nestCliJson(),
    'README.md': replaceSection(readme, await ownershipMapSection()),
  };
}
