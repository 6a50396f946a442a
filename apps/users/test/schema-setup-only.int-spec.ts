import { bootstrapService } from '@polystore/platform';
import { opsNats } from '../../../test/support/nats.js';
import { usersModule } from './support.js';

/** The Helm chart's per-release schema Job: the service sets its store up and exits without serving. */
describe('users with schemaSetupOnly (POLYSTORE_SCHEMA_SETUP_ONLY=true)', () => {
  it('sets the schema up, then returns closed, never opening its HTTP port', async () => {
    const nats = opsNats('users-schema-only-test');
    const app = await bootstrapService({ service: 'users', module: usersModule()(nats), nats, httpPort: 0, quiet: true, schemaSetupOnly: true });
    expect(app.getHttpServer().listening).toBe(false);
  }, 60_000);
});
