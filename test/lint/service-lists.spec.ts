import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { APP_NAMES } from '@polystore/manifest';

/**
 * The manifest is the one list of services: no other file keeps one by hand. A "list" here is
 * three or more app names, quoted or as keys, within 200 characters of each other. Allowed:
 * the manifest, the files generated from it, docs, and each service's own folders (a service
 * may name those it calls or consumes: that is its own code, checked against the manifest by
 * NATS permissions).
 */
describe('no second list of services', () => {
  const derived = /^(manifest\.ts|docker-compose\.yml|docker\/|nest-cli\.json|deploy\/helm\/polystore\/values\.yaml)/;
  /** Lists the compiler holds to the manifest, with why. */
  const checked: Record<string, string> = {
    'libs/contracts/src/events/catalog.ts': 'EVENTS_BY_PRODUCER satisfies Record<EventProducer, …>: a producer missing or extra fails the typecheck',
  };
  const ownFolder = new RegExp(`^(apps|libs/contracts/src|prisma)/(${APP_NAMES.join('|')})/`);
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { encoding: 'utf8' })
    .split('\n')
    .filter((f) => /\.(ts|mjs|js|json|ya?ml|conf|sql|sh)$/.test(f))
    .filter(
      (f) => !derived.test(f) && !ownFolder.test(f) && !(f in checked) && !f.endsWith('package-lock.json') && f !== 'test/lint/service-lists.spec.ts',
    );
  const mention = new RegExp(`(['"\`])(${APP_NAMES.join('|')})\\1|\\b(${APP_NAMES.join('|')})\\s*:`, 'g');

  function lists(text: string): string[] {
    const hits = [...text.matchAll(mention)].map((m) => ({ name: m[2] ?? m[3], at: m.index }));
    const found: string[] = [];
    for (const hit of hits) {
      const near = new Set(hits.filter((h) => h.at >= hit.at && h.at - hit.at < 200).map((h) => h.name));
      if (near.size >= 3) found.push(`line ${text.slice(0, hit.at).split('\n').length}: ${[...near].join(', ')}`);
    }
    return found.slice(0, 1);
  }

  it('the check finds a hand-kept list', () => {
    expect(lists("const SERVICES = ['users', 'products', 'cart'];")).toHaveLength(1);
    expect(lists('ports: { users: 3101, products: 3102, cart: 3103 }')).toHaveLength(1);
    expect(lists("send('users.get-profile.v1'); // then products")).toEqual([]);
  });

  it('none outside the manifest, generated files and the services’ own folders', () => {
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) => lists(readFileSync(file, 'utf8')).map((where) => `${file} ${where}`));
    expect(found).toEqual([]);
  });
});
