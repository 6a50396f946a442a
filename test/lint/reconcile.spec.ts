import { readFileSync } from 'node:fs';
import { ReconcileRpc, UsersRpc } from '@polystore/contracts';
import { APPS, REFERENCE_CHECKS, REFERENCE_OWNERS, SERVICE_NAMES, manifestProblems, type AppSpec } from '@polystore/manifest';
import { RECONCILE_SUBJECTS } from '../../scripts/lib/reconcile.ts';

/** `npm run reconcile` is composed from the manifest's `references`; every side of it is served. */
describe('reconcile wiring', () => {
  it("speaks the contracts' subjects", () => {
    for (const service of SERVICE_NAMES) {
      expect(RECONCILE_SUBJECTS.listReferences(service)).toBe(ReconcileRpc.listReferences(service).subject);
      expect(RECONCILE_SUBJECTS.repairReferences(service)).toBe(ReconcileRpc.repairReferences(service).subject);
      expect(RECONCILE_SUBJECTS.checkIds(service)).toBe(ReconcileRpc.checkIds(service).subject);
    }
    expect(RECONCILE_SUBJECTS.republishErasures).toBe(UsersRpc.republishErasures.subject);
  });

  it('has a check per (holder, owner) the manifest declares, and the manifest is consistent', () => {
    expect(manifestProblems()).toEqual([]);
    const declared = SERVICE_NAMES.flatMap((holder) => (APPS[holder] as AppSpec).references.map((owner) => `${holder}/${owner}`));
    expect(REFERENCE_CHECKS.map((c) => `${c.holder}/${c.owner}`)).toEqual(declared);
    expect(declared.length).toBeGreaterThan(0);
  });

  // Each holder's and owner's module registers the controllers that serve its side (a service
  // added to `references` without them would answer "no responders" to reconcile).
  it.each(SERVICE_NAMES.map((s) => [s]))('%s serves its side', (service) => {
    const module = readFileSync(`apps/${service}/src/${service}.module.ts`, 'utf8');
    const holds = (APPS[service] as AppSpec).references.length > 0;
    expect(module.includes(`createReferencesController('${service}'`)).toBe(holds);
    expect(module.includes(`createIdOwnerController('${service}'`)).toBe(REFERENCE_OWNERS.includes(service));
  });
});
