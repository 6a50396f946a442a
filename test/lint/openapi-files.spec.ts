import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultGatewayDocument } from '../../apps/gateway/src/app.js';
import { openApiFiles } from '../../scripts/lib/openapi.ts';
import { ROOT } from '../../scripts/lib/proc.ts';

/** The checked-in OpenAPI document and the client types generated from it are the gateway's own. */
describe('the gateway’s OpenAPI document and its typed client', () => {
  it('apps/gateway/openapi.json and test/support/gateway-api.d.ts are what `npm run generate` writes', async () => {
    const files = await openApiFiles(await defaultGatewayDocument());
    for (const [path, content] of Object.entries(files)) {
      const checkedIn = readFileSync(join(ROOT, path), 'utf8');
      // One assertion per file, naming it and the fix.
      expect({ path, upToDate: checkedIn === content }).toEqual({ path, upToDate: true });
    }
  });
});
