import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPS, SERVICE_NAMES } from '@polystore/manifest';
import { POSTGRES_OUTBOX_INBOX_MODELS, postgresOutboxInboxSql } from '@polystore/platform';

const POSTGRES_SERVICES = SERVICE_NAMES.filter((service) => APPS[service].store?.kind === 'postgres');

/**
 * The platform's PostgreSQL outbox and inbox run on tables every PostgreSQL service creates in its
 * own migrations (an applied migration is never edited, so each holds its own text): that text is
 * the platform's, to the letter, and so are the schema's models of those tables.
 */
describe('PostgreSQL services create the platform outbox and inbox', () => {
  it.each(POSTGRES_SERVICES)('%s: its migrations hold the tables, indexes and NOTIFY trigger; its schema the models', (service) => {
    const dir = join('prisma', service, 'migrations');
    const migrations = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => readFileSync(join(dir, d.name, 'migration.sql'), 'utf8'))
      .join('\n');
    const sql = postgresOutboxInboxSql(service);
    expect(migrations).toContain(sql.tables);
    expect(migrations).toContain(sql.indexes);
    expect(migrations).toContain(sql.trigger);
    expect(readFileSync(join('prisma', service, 'schema.prisma'), 'utf8')).toContain(POSTGRES_OUTBOX_INBOX_MODELS.split('\n').slice(1).join('\n'));
  });
});
