import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { APPS, APP_NAMES, ERASURE_PARTICIPANTS, manifestProblems, startOrder } from '@polystore/manifest';
import { composeFile } from '../../scripts/lib/compose.ts';
import { natsPermissions } from '../../scripts/lib/nats-auth.ts';
import { natsLogin } from '../../scripts/lib/stack.ts';

/** The manifest is consistent, and every file derived from it is the one checked in. */
describe('manifest and the files derived from it', () => {
  it('names only real apps, uses each port once, and its calls have a start order', () => {
    expect(manifestProblems()).toEqual([]);
    const order = startOrder();
    for (const app of APP_NAMES) for (const callee of APPS[app].calls) expect(order.indexOf(callee as never)).toBeLessThan(order.indexOf(app));
  });

  it('closes the erasure round trip for every service that holds user data (holdsUserData)', () => {
    expect(ERASURE_PARTICIPANTS.length).toBeGreaterThan(0);
    for (const participant of ERASURE_PARTICIPANTS) {
      // It reads users' request and may answer on its own stream; users reads the answer.
      expect(natsPermissions(participant).publish).toEqual(
        expect.arrayContaining([`events.${participant}.>`, '$JS.API.CONSUMER.CREATE.EVENTS_USERS']),
      );
      expect(natsPermissions('users').publish).toContain(`$JS.API.CONSUMER.CREATE.EVENTS_${participant.toUpperCase()}`);
    }
  });

  it('docker-compose.yml, docker/, nest-cli.json and the README map are what `npm run generate` writes', async () => {
    const run = promisify(execFile);
    // A child Node (the project's 24) loads the manifest and the contracts' event files directly.
    await expect(run(process.execPath, ['scripts/generate.ts', '--check'])).resolves.toMatchObject({ stdout: expect.stringMatching(/up to date/) });
  });

  it('NATS: each app serves only its own subjects and calls only what the manifest says', () => {
    for (const app of APP_NAMES) {
      const { publish, subscribe } = natsPermissions(app);
      const requestSubjects = publish.filter((s) => !s.startsWith('$') && !s.startsWith('events.') && !s.startsWith('deadletter.'));
      expect(requestSubjects.sort()).toEqual(APPS[app].calls.map((callee) => `${callee}.>`).sort());
      expect(subscribe.filter((s) => !s.startsWith('_INBOX_'))).toEqual(APPS[app].store ? [`${app}.>`] : []);
      expect(publish.some((s) => s.startsWith('events.') && s !== `events.${app}.>`)).toBe(false);
    }
  });

  it('compose gives each app only its own store, with its own login, and its own NATS user', () => {
    // The store URLs carry the password: they are in each app's env file (secrets.spec.ts checks those).
    const compose = composeFile();
    for (const service of APP_NAMES.filter((app) => APPS[app].store !== null)) {
      // OpenSearch: over TLS, trusting the CA its own init step made (and nothing else of that step's files).
      if (APPS[service].store!.kind === 'opensearch') {
        expect(compose).toContain(`${service}-opensearch-ca:/data/${service}/opensearch/tls:ro`);
        expect(compose).not.toMatch(new RegExp(`^ {4}volumes: \\[.*${service}-opensearch-tls:/data`, 'm'));
      }
    }
    for (const app of APP_NAMES) {
      const { user } = natsLogin(app);
      expect(compose).toContain(`${APPS[app].envPrefix}_NATS_USER: ${user}`);
    }
  });
});
