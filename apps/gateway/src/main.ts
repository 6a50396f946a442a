import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { runMain } from '@polystore/platform';
import { createGateway } from './app.js';
import { loadGatewayConfig } from './config.js';

runMain(async () => {
  const config = loadGatewayConfig();
  const app = await createGateway(config);
  await app.listen(config.port, config.host);
  new Logger('bootstrap:gateway').log(`gateway ready on http://${config.host}:${config.port} (OpenAPI at /docs)`);
});
