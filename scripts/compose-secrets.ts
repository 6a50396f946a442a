#!/usr/bin/env node
// `npm run compose:secrets`: the secrets docker-compose.yml reads (one env file per container with
// only its own passwords, Redis' ACL file, OpenSearch's users), generated from the dev stack's
// credentials (made now if this is the stack's first start) into its git-ignored secrets folder.
// Run it once before `docker compose up`; `npm start` does it itself when a Docker engine answers.
import { COMPOSE_SECRETS_DIR } from './lib/compose.ts';
import { prepareCredentials, writeComposeSecrets } from './lib/infra.ts';
import { stack } from './lib/stack.ts';

const written = writeComposeSecrets(await prepareCredentials(stack('dev')));
console.log(`compose:secrets: wrote ${written.length} files under ${COMPOSE_SECRETS_DIR}/ (git-ignored; each container reads only its own)`);
