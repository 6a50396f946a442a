// `npm run reconcile`: after stores were restored from different times, find the ids one service
// keeps of another's that the owner does not know (or has erased), and with `--repair` let each
// holder remove them. Nothing here reads a store: every figure is a service's answer over NATS
// (contracts in libs/contracts/src/reconcile/, the serving side in libs/platform/src/reconcile/),
// and which service keeps whose ids is the manifest's `references` (REFERENCE_CHECKS).
import type {
  CheckIdsRequest,
  ErasuresRepublished,
  IdsCheck,
  ListReferencesRequest,
  ReferencePage,
  ReferencesRepaired,
  RepairReferencesRequest,
  RepublishErasuresRequest,
} from '@polystore/contracts';
import { ERASURE_PARTICIPANTS, REFERENCE_CHECKS, type ReferenceCheck, type ServiceName } from '../../manifest.ts';
import { opsNatsOptions, type Stack } from './stack.ts';

/** The subjects, as libs/contracts declares them (ReconcileRpc, UsersRpc.republishErasures; a unit test compares). */
export const RECONCILE_SUBJECTS = {
  listReferences: (holder: ServiceName) => `${holder}.list-references.v1`,
  repairReferences: (holder: ServiceName) => `${holder}.repair-references.v1`,
  checkIds: (owner: ServiceName) => `${owner}.check-ids.v1`,
  republishErasures: 'users.republish-erasures.v1',
};

export interface CheckResult extends ReferenceCheck {
  /** Distinct ids of the owner the holder keeps. */
  checked: number;
  /** Of those, ids the owner has no record of. */
  unknown: number;
  /** Of those, users users has erased (the holder was restored from before the erasure). */
  erased: number;
  /** Ids dealt with by `--repair` (unknown ones removed by the holder, erased ones asked of users again); null in a dry run. */
  repaired: number | null;
  /** What the holder removed or anonymised, by kind; erasures published again by users. */
  counts: Record<string, number>;
  /** Up to 20 of the orphan ids, to look at. */
  sample: string[];
  ms: number;
  error?: string;
}

export interface ReconcileOptions {
  repair: boolean;
  /** Only the checks of these holders (default: every check of the manifest). */
  holders?: ServiceName[];
  /** Ids per page, check and repair (≤ RECONCILE_BATCH_MAX, 2,000). */
  batch?: number;
  timeoutMs?: number;
  /** How many of the orphan ids each result lists (default 20). */
  sampleLimit?: number;
}

type Send = <Req, Reply>(subject: string, request: Req) => Promise<Reply>;

/**
 * Requests to services as the operator's NATS user, in Nest's packet format (as RpcClient in
 * libs/platform speaks it); an error reply is thrown with its code.
 */
export async function opsRequests(s: Stack, timeoutMs = 60_000): Promise<{ send: Send; close: () => Promise<void> }> {
  const { connect } = await import('@nats-io/transport-node');
  const nc = await connect({ ...opsNatsOptions(s), name: 'reconcile', noAsyncTraces: true });
  let sequence = 0;
  const send: Send = async <Req, Reply>(subject: string, request: Req): Promise<Reply> => {
    const packet = JSON.stringify({ pattern: subject, data: request, id: `reconcile-${process.pid}-${++sequence}` });
    const msg = await nc.request(subject, packet, { timeout: timeoutMs });
    const reply = JSON.parse(msg.string()) as { response?: Reply; err?: { code?: string; message?: string } | null };
    if (reply.err) throw new Error(`${subject}: ${reply.err.code ?? 'ERROR'} ${reply.err.message ?? JSON.stringify(reply.err)}`);
    return reply.response as Reply;
  };
  return { send, close: () => nc.close() };
}

/** Runs the checks one after another, each independent: a service that does not answer fails its own checks only. */
export async function reconcile(s: Stack, options: ReconcileOptions): Promise<CheckResult[]> {
  const ops = await opsRequests(s, options.timeoutMs);
  try {
    const results: CheckResult[] = [];
    for (const check of REFERENCE_CHECKS.filter((c) => !options.holders || options.holders.includes(c.holder)))
      results.push(await runCheck(ops.send, check, options.repair, options.batch ?? 1_000, options.sampleLimit ?? 20));
    return results;
  } finally {
    await ops.close();
  }
}

async function runCheck(send: Send, check: ReferenceCheck, repair: boolean, batch: number, sampleLimit: number): Promise<CheckResult> {
  const { holder, owner } = check;
  const started = performance.now();
  const result: CheckResult = { holder, owner, checked: 0, unknown: 0, erased: 0, repaired: repair ? 0 : null, counts: {}, sample: [], ms: 0 };
  try {
    const unknown: string[] = [];
    const erased: string[] = [];
    let after: string | undefined;
    do {
      const page = await send<ListReferencesRequest, ReferencePage>(RECONCILE_SUBJECTS.listReferences(holder), {
        owner,
        limit: batch,
        ...(after === undefined ? {} : { after }),
      });
      result.checked += page.ids.length;
      if (page.ids.length) {
        const answer = await send<CheckIdsRequest, IdsCheck>(RECONCILE_SUBJECTS.checkIds(owner), { ids: page.ids });
        unknown.push(...answer.unknown);
        erased.push(...answer.erased);
      }
      after = page.next ?? undefined;
    } while (after !== undefined);
    result.unknown = unknown.length;
    result.erased = erased.length;
    result.sample = [...unknown, ...erased].slice(0, sampleLimit);
    if (repair) {
      for (let i = 0; i < unknown.length; i += batch) {
        const done = await send<RepairReferencesRequest, ReferencesRepaired>(RECONCILE_SUBJECTS.repairReferences(holder), {
          owner,
          ids: unknown.slice(i, i + batch),
        });
        for (const [kind, n] of Object.entries(done.counts)) result.counts[kind] = (result.counts[kind] ?? 0) + n;
        result.repaired! += Math.min(batch, unknown.length - i);
      }
      // An erased user still held: the holder missed the erasure (restored from before it). users
      // publishes it again to that holder, which erases as it did the first time and answers.
      if (erased.length && (ERASURE_PARTICIPANTS as readonly string[]).includes(holder)) {
        for (let i = 0; i < erased.length; i += batch) {
          const done = await send<RepublishErasuresRequest, ErasuresRepublished>(RECONCILE_SUBJECTS.republishErasures, {
            service: holder as RepublishErasuresRequest['service'],
            userIds: erased.slice(i, i + batch),
          });
          result.counts.erasuresRepublished = (result.counts.erasuresRepublished ?? 0) + done.erasures;
          result.repaired! += done.erasures;
        }
      }
    }
  } catch (error) {
    result.error = (error as Error).message;
  }
  result.ms = Math.round(performance.now() - started);
  return result;
}

const count = (n: number) => n.toLocaleString('en-US');

/** One row per check: holder, owner, ids checked, orphans (unknown / erased), repaired, time. */
export function renderReconcile(results: CheckResult[], repair: boolean): string {
  const header = ['holder', 'owner', 'checked', 'orphans', 'unknown', 'erased', 'repaired', 'time'];
  const rows = results.map((r) =>
    r.error
      ? [r.holder, r.owner, 'failed', r.error, '', '', '', `${r.ms} ms`]
      : [
          r.holder,
          r.owner,
          count(r.checked),
          count(r.unknown + r.erased),
          count(r.unknown),
          count(r.erased),
          r.repaired === null ? '-' : count(r.repaired),
          `${r.ms} ms`,
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i < 2 || c === 'failed' || i === 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const lines = [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)];
  const details = results.filter((r) => Object.keys(r.counts).length).map((r) => `  ${r.holder} / ${r.owner}: ${JSON.stringify(r.counts)}`);
  if (details.length) lines.push('', 'repaired, by kind:', ...details);
  const orphans = results.reduce((sum, r) => sum + r.unknown + r.erased, 0);
  if (!repair && orphans) lines.push('', `${count(orphans)} orphan id(s) found (dry run): \`npm run reconcile -- --repair\` removes them.`);
  return lines.join('\n');
}
