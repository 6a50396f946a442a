// Who may do what on NATS, derived from the manifest. One user per app; each may serve only its
// own request subjects, publish only its own events, call only the services it calls, read only
// the event streams it consumes, and receive only on its own inbox prefix (`_INBOX_<app>.>`).
// The same block is written into the local nats.conf (with the stack's passwords) and
// docker/nats/auth.conf (`npm run generate`; passwords read from the NATS container's environment).
import { APPS, APP_NAMES, type AppName } from '../../manifest.ts';
import { natsLogin } from './stack.ts';

const stream = (producer: string) => `EVENTS_${producer.toUpperCase()}`;

export interface NatsPermissions {
  publish: string[];
  subscribe: string[];
  allowResponses: boolean;
}

export function natsPermissions(app: AppName): NatsPermissions {
  const spec = APPS[app];
  // An app without a store is the edge: it only sends requests, it serves none.
  const servesRequests = spec.store !== null;
  const publish = spec.calls.map((callee) => `${callee}.>`);
  const subscribe = [`_INBOX_${app}.>`];
  if (servesRequests) subscribe.push(`${app}.>`);
  if (spec.publishesEvents) {
    const own = stream(app);
    publish.push(`events.${app}.>`, '$JS.API.INFO');
    for (const verb of ['INFO', 'CREATE', 'UPDATE']) publish.push(`$JS.API.STREAM.${verb}.${own}`);
    // Erasing a user: a producer finds and erases the messages of its own stream that carry personal data.
    publish.push(`$JS.API.STREAM.MSG.GET.${own}`, `$JS.API.STREAM.MSG.DELETE.${own}`);
  }
  if (spec.consumes.length) {
    for (const verb of ['INFO', 'CREATE', 'UPDATE']) publish.push(`$JS.API.STREAM.${verb}.DEADLETTER`);
    publish.push(`deadletter.${app}.>`);
    for (const producer of spec.consumes) {
      const s = stream(producer);
      publish.push(
        `$JS.API.STREAM.INFO.${s}`,
        `$JS.API.CONSUMER.INFO.${s}.*`,
        `$JS.API.CONSUMER.CREATE.${s}`,
        `$JS.API.CONSUMER.CREATE.${s}.>`,
        `$JS.API.CONSUMER.DURABLE.CREATE.${s}.*`,
        `$JS.API.CONSUMER.MSG.NEXT.${s}.*`,
        `$JS.ACK.${s}.>`,
      );
    }
  }
  return { publish: [...new Set(publish)], subscribe, allowResponses: servesRequests };
}

const quote = (s: string) => JSON.stringify(s);

/** The variable that holds an app's (or ops') NATS password where the server reads it from its environment. */
export const natsPasswordVariable = (app: AppName | 'ops'): string => `${app === 'ops' ? 'OPS' : APPS[app].envPrefix}_NATS_PASSWORD`;

/** nats.conf's password of each user: a quoted string, or `$VARIABLE` (read from the server's environment). */
export type NatsPasswordOf = (app: AppName | 'ops') => string;

/** docker-compose's NATS reads every password from its environment (`npm run compose:secrets` writes them). */
export const passwordsFromEnvironment: NatsPasswordOf = (app) => `$${natsPasswordVariable(app)}`;

/** The `authorization { users = [...] }` block of nats.conf. */
export function natsAuthorizationBlock(passwordOf: NatsPasswordOf): string {
  const users = APP_NAMES.map((app) => {
    const { user } = natsLogin(app);
    const password = passwordOf(app);
    const p = natsPermissions(app);
    return `    {
      user: ${quote(user)}, password: ${password}
      permissions: {
        publish: { allow: [${p.publish.map(quote).join(', ')}] }
        subscribe: { allow: [${p.subscribe.map(quote).join(', ')}] }${p.allowResponses ? '\n        allow_responses: true' : ''}
      }
    }`;
  });
  const ops = natsLogin('ops');
  users.push(`    # operator tooling (tests, benchmarks, stream resets): everything
    { user: ${quote(ops.user)}, password: ${passwordOf('ops')} }`);
  return `# Generated from manifest.ts by \`npm run generate\`; do not edit.
authorization {
  users = [
${users.join('\n')}
  ]
}
`;
}
