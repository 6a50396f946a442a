import { Controller, Inject, type Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  CheckIdsRequest,
  ListReferencesRequest,
  ReconcileRpc,
  RepairReferencesRequest,
  type IdsCheck,
  type ReferencePage,
  type ReferencesRepaired,
  type ServiceName,
} from '@polystore/contracts';
import { APPS, REFERENCE_OWNERS, type AppSpec } from '@polystore/manifest';
import type { UserEraser } from '../events/erasure-participant.js';
import { RpcError } from '../rpc/rpc-error.js';
import { RpcHandler } from '../rpc/rpc-handler.js';

/**
 * A service's side of `npm run reconcile` for the ids of others its store keeps (the manifest's
 * `references`): which ids of `owner` it holds, and how it lets go of those the owner does not know.
 */
export interface ReferenceHolder {
  /** Every distinct id of `owner` the store keeps (the controller sorts and pages them). */
  referencedIds(owner: ServiceName): Promise<string[]>;
  /**
   * Removes or anonymises what the store keeps for these ids of `owner`, by kind of record; must be
   * idempotent (a second run finds nothing and answers zeros).
   */
  repair(owner: ServiceName, ids: string[]): Promise<Record<string, number>>;
}

/**
 * A repair of user ids users does not know, done as an erasure of each (the service's own
 * UserEraser, one user at a time): what each erasure removed, summed by kind.
 */
export async function eraseUnknownUsers(eraser: UserEraser, userIds: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const userId of userIds)
    for (const [kind, n] of Object.entries(await eraser.erase({ erasureId: 'reconcile', userId }))) counts[kind] = (counts[kind] ?? 0) + n;
  return counts;
}

/** An owner's side: which of these ids it has no record of, and which it has erased. */
export interface IdOwner {
  checkIds(ids: string[]): Promise<IdsCheck>;
}

const referencesOf = (service: ServiceName): readonly string[] => (APPS[service] as AppSpec).references;

/**
 * Serves `<service>.list-references.v1` and `<service>.repair-references.v1` for a service whose
 * manifest entry lists `references`, over its `ReferenceHolder`:
 *
 *   controllers: [createReferencesController('cart', CartReferences)], providers: [CartReferences, ...]
 */
export function createReferencesController(service: ServiceName, holder: Type<ReferenceHolder>): Type<unknown> {
  if (referencesOf(service).length === 0) throw new Error(`${service} keeps no ids of others (manifest.ts references): nothing to serve`);

  @Controller()
  class ReferencesController {
    constructor(@Inject(holder) private readonly store: ReferenceHolder) {}

    @RpcHandler(ReconcileRpc.listReferences(service))
    async list(@Payload() request: ListReferencesRequest): Promise<ReferencePage> {
      this.mustReference(request.owner);
      // The whole set each time: the store's distinct-ids query is the cost, the page only cuts it.
      const ids = [...new Set(await this.store.referencedIds(request.owner))].sort();
      const from = request.after === undefined ? 0 : firstAfter(ids, request.after);
      const page = ids.slice(from, from + request.limit);
      return { ids: page, next: from + request.limit < ids.length ? page[page.length - 1]! : null };
    }

    @RpcHandler(ReconcileRpc.repairReferences(service))
    async repair(@Payload() request: RepairReferencesRequest): Promise<ReferencesRepaired> {
      this.mustReference(request.owner);
      const counts = request.ids.length ? await this.store.repair(request.owner, request.ids) : {};
      return { repaired: Object.values(counts).reduce((sum, n) => sum + n, 0), counts };
    }

    private mustReference(owner: ServiceName): void {
      if (!referencesOf(service).includes(owner))
        throw RpcError.validation(`${service} keeps no ids of ${owner}`, [
          { field: 'owner', problems: [`owner must be one of ${referencesOf(service).join(', ')}`] },
        ]);
    }
  }
  return ReferencesController;
}

/**
 * Serves `<service>.check-ids.v1` for a service whose ids others keep (REFERENCE_OWNERS):
 *
 *   controllers: [createIdOwnerController('products', ProductIds)]
 */
export function createIdOwnerController(service: ServiceName, owner: Type<IdOwner>): Type<unknown> {
  if (!REFERENCE_OWNERS.includes(service)) throw new Error(`no service keeps ids of ${service} (manifest.ts references): nothing to serve`);

  @Controller()
  class IdOwnerController {
    constructor(@Inject(owner) private readonly store: IdOwner) {}

    @RpcHandler(ReconcileRpc.checkIds(service))
    check(@Payload() request: CheckIdsRequest): Promise<IdsCheck> {
      return request.ids.length ? this.store.checkIds([...new Set(request.ids)]) : Promise.resolve({ unknown: [], erased: [] });
    }
  }
  return IdOwnerController;
}

/** Index of the first id greater than `after` in sorted `ids` (binary search). */
function firstAfter(ids: string[], after: string): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (ids[mid]! <= after) low = mid + 1;
    else high = mid;
  }
  return low;
}
