/**
 * Reconciling after restores (`npm run reconcile`): stores restored from different times disagree
 * about which users, products or checkouts exist. Nobody reads another's store to find out; each
 * service answers for its own (docs/operations.md, "Reconciling after restores"):
 *
 *   holder  <holder>.list-references.v1    the ids of `owner` its store keeps, a page at a time
 *   owner   <owner>.check-ids.v1           which of these ids it does not know, or has erased
 *   holder  <holder>.repair-references.v1  removes (or anonymises) what it keeps for those ids
 *
 * Which services keep whose ids is the manifest's `references` (REFERENCE_CHECKS).
 */
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SERVICE_NAMES, type ServiceName } from '@polystore/manifest';
import { rpcSubject, type RpcSubject } from '../rpc.js';

/** Most ids in one page, check or repair (a page of UUIDs stays far below NATS' 1 MB payload limit). */
export const RECONCILE_BATCH_MAX = 2_000;

export class ListReferencesRequest {
  /** The service that owns the ids (one of the holder's `references`). */
  @IsIn(SERVICE_NAMES)
  owner!: ServiceName;

  /** The last id of the previous page (ids come sorted); absent for the first page. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  after?: string;

  @IsInt()
  @Min(1)
  @Max(RECONCILE_BATCH_MAX)
  limit!: number;
}

/** Distinct ids, sorted; `next` is the `after` of the next page, null on the last. */
export interface ReferencePage {
  ids: string[];
  next: string | null;
}

export class CheckIdsRequest {
  @IsArray()
  @ArrayMaxSize(RECONCILE_BATCH_MAX)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  ids!: string[];
}

/** Of the ids asked about: those the owner has no record of, and those it has erased (users only). */
export interface IdsCheck {
  unknown: string[];
  erased: string[];
}

export class RepairReferencesRequest {
  @IsIn(SERVICE_NAMES)
  owner!: ServiceName;

  /** Ids the owner does not know: what the holder keeps for them goes. */
  @IsArray()
  @ArrayMaxSize(RECONCILE_BATCH_MAX)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  ids!: string[];
}

/** What the holder removed or anonymised, by kind (`{ carts: 2, watches: 1 }`), and in all. */
export interface ReferencesRepaired {
  repaired: number;
  counts: Record<string, number>;
}

/** The reconcile subjects of a holder and of an owner. */
export const ReconcileRpc = {
  listReferences: (holder: ServiceName): RpcSubject<ListReferencesRequest, ReferencePage> =>
    rpcSubject<ListReferencesRequest, ReferencePage>(`${holder}.list-references.v1`),
  repairReferences: (holder: ServiceName): RpcSubject<RepairReferencesRequest, ReferencesRepaired> =>
    rpcSubject<RepairReferencesRequest, ReferencesRepaired>(`${holder}.repair-references.v1`),
  checkIds: (owner: ServiceName): RpcSubject<CheckIdsRequest, IdsCheck> => rpcSubject<CheckIdsRequest, IdsCheck>(`${owner}.check-ids.v1`),
} as const;
