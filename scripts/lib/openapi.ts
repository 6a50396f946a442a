// The gateway's OpenAPI document and the TypeScript types generated from it (openapi-typescript), both
// checked in: `npm run generate` writes them from the built gateway, and a unit test
// (test/lint/openapi-files.spec.ts) builds the document in-process and fails when a checked-in copy differs.
// The e2e tests call the gateway through a client typed by these types, so a drift breaks their compilation.
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { ROOT, commandFailed, execute, run } from './proc.ts';

export const OPENAPI_DOCUMENT_FILE = 'apps/gateway/openapi.json';
export const OPENAPI_TYPES_FILE = 'test/support/gateway-api.d.ts';

/** Both files' contents for this document, by path. */
export async function openApiFiles(document: object): Promise<Record<string, string>> {
  const types = astToString(await openapiTS(document as Parameters<typeof openapiTS>[0]));
  return {
    [OPENAPI_DOCUMENT_FILE]: `${JSON.stringify(document, null, 2)}\n`,
    [OPENAPI_TYPES_FILE]: `// Generated from ${OPENAPI_DOCUMENT_FILE} by \`npm run generate\` (openapi-typescript); do not edit.\n\n${types}`,
  };
}

/** The document of the gateway as built (builds first): what `node dist/apps/gateway/src/cli/openapi.js` prints. */
export async function builtGatewayDocument(): Promise<object> {
  await run(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { quiet: true });
  const finished = await execute(process.execPath, [join(ROOT, 'dist', 'apps', 'gateway', 'src', 'cli', 'openapi.js')], { quiet: true });
  if (finished.code !== 0) throw commandFailed(finished);
  return JSON.parse(finished.stdout) as object;
}
