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

  it('states what every route answers: a token’s 401, the error body, the statuses as answered, the limits as enforced', async () => {
    const document = (await defaultGatewayDocument()) as unknown as {
      paths: Record<
        string,
        Record<string, { security?: unknown[]; responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>
      >;
      components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>>; additionalProperties?: unknown }> };
    };
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const label = `${method.toUpperCase()} ${path}`;
        // An operation with a token answers 401; every error answers the ErrorBody schema, but for
        // the health reports, whose 503 is the report itself.
        if (operation.security) expect({ label, has401: '401' in operation.responses }).toEqual({ label, has401: true });
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400 || path === '/health' || path === '/health/ready') continue;
          expect({ label, status, schema: response.content?.['application/json']?.schema?.$ref }).toEqual({
            label,
            status,
            schema: '#/components/schemas/ErrorBody',
          });
        }
      }
    }
    expect(Object.keys(document.paths['/cart/lines']!.post!.responses)).toContain('201');
    expect(Object.keys(document.paths['/users/me/wallet/credit']!.post!.responses)).toContain('201');
    const schemas = document.components.schemas;
    expect(schemas.WalletEntry!.properties!.reason).toMatchObject({ nullable: true });
    expect(schemas.WalletAmount).toMatchObject({ additionalProperties: false, properties: { amountCents: { type: 'integer', minimum: 1 } } });
    expect(schemas.CreateProductRequest!.properties!.sku).toMatchObject({ pattern: '^[A-Z0-9][A-Z0-9._-]{0,63}$' });
  });
});
