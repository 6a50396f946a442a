import 'reflect-metadata';
import { runMain } from '@polystore/platform';
import { defaultGatewayDocument } from '../app.js';

/** Prints the gateway's OpenAPI document (default settings) as JSON; `npm run generate` checks it in. */
runMain(async () => {
  process.stdout.write(`${JSON.stringify(await defaultGatewayDocument(), null, 2)}\n`);
});
