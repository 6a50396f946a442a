import {
  EVENT_PRODUCERS,
  eventSubject,
  type CheckoutLineV1,
  type EVENT_KINDS,
  type EventData,
  type EventProducer,
  type EventType,
  type ProductSnapshotV1,
} from '@polystore/contracts';

/** A message as read from a stream: where it came from and its bytes. */
export interface IncomingMessage {
  stream: string;
  subject: string;
  streamSeq: number;
  body: string;
}

/** A row of `events_raw`: every valid event, whatever its type. */
export interface RawEventRow {
  event_id: string;
  type: string;
  version: number;
  producer: EventProducer;
  /** 'YYYY-MM-DD HH:MM:SS.mmm', UTC. */
  occurred_at: string;
  user_id: string | null;
  /** The event's `data`, as JSON.stringify writes it (no raw tabs or line breaks); typed tables extract their columns from it. */
  data: string;
  stream: string;
  stream_seq: number;
}

/** A row of `events_rejected`: a message that failed its contract, kept with the reason. */
export interface RejectedEventRow {
  stream: string;
  subject: string;
  stream_seq: number;
  event_id: string;
  type: string;
  reason: string;
  payload: string;
}

export type Classified = { ok: true; row: RawEventRow } | { ok: false; row: RejectedEventRow };

const TYPE_NAME = /^[A-Z][A-Za-z0-9]{0,99}$/;
const MAX_PAYLOAD_KEPT = 64 * 1024;
const PRODUCERS: readonly string[] = EVENT_PRODUCERS;

type FieldKind = 'uuid' | 'uuid?' | 'text' | 'currency' | 'count' | 'cents' | 'version' | 'texts' | 'lines';
/** Checks on some fields of a payload; the field names are the payload type's own. */
type Contract<T> = { [F in keyof T]?: FieldKind };
/** An event type's contract, keyed `Type.vN` at the version libs/contracts declares for the type. */
type EventContracts = { [K in EventType as `${K}.v${(typeof EVENT_KINDS)[K]['version']}`]?: Contract<EventData[K]> };

const LINE: Contract<CheckoutLineV1> = { productId: 'uuid', name: 'text', quantity: 'count', unitPriceCents: 'cents', lineTotalCents: 'cents' };
const PRODUCT_SNAPSHOT: Contract<ProductSnapshotV1> = {
  productId: 'uuid',
  sku: 'text',
  name: 'text',
  categories: 'texts',
  priceCents: 'cents',
  currency: 'currency',
  version: 'version',
};

/**
 * The fields analytics relies on, per event type and version (from libs/contracts). Types not
 * listed are stored as they come (raw table only), checked for the envelope alone.
 */
export const EVENT_CONTRACTS: EventContracts = {
  'ProductViewed.v1': { productId: 'uuid', userId: 'uuid?' },
  'CartItemAdded.v1': { userId: 'uuid', productId: 'uuid', quantity: 'count', lineQuantity: 'count', unitPriceCents: 'cents', currency: 'currency' },
  'CheckoutCompleted.v1': { checkoutId: 'text', userId: 'uuid', lines: 'lines', totalCents: 'cents', currency: 'currency' },
  'CheckoutFailed.v1': { checkoutId: 'text', userId: 'uuid', reasonCode: 'text', lines: 'lines', totalCents: 'cents', currency: 'currency' },
  'ProductCreated.v1': PRODUCT_SNAPSHOT,
  'ProductUpdated.v1': PRODUCT_SNAPSHOT,
  'ProductPriceChanged.v1': { productId: 'uuid', name: 'text', newPriceCents: 'cents', currency: 'currency', version: 'version' },
  'ProductDeleted.v1': { productId: 'uuid', version: 'version' },
  'UserRegistered.v1': { userId: 'uuid' },
  'UserProfileUpdated.v1': { userId: 'uuid' },
  'WalletCredited.v1': { userId: 'uuid', amountCents: 'cents' },
  'WalletDebited.v1': { userId: 'uuid', amountCents: 'cents' },
  'OrderPlaced.v1': { orderId: 'uuid', userId: 'uuid', totalCents: 'cents', currency: 'currency' },
  'OrderCancellationRequested.v1': { orderId: 'uuid', userId: 'uuid', totalCents: 'cents', currency: 'currency' },
  'OrderCancelled.v1': { orderId: 'uuid', userId: 'uuid', totalCents: 'cents', currency: 'currency' },
};

/** Checks a message against the envelope and its type's contract; says why when it fails. */
export function classify(msg: IncomingMessage): Classified {
  let parsed: unknown;
  try {
    parsed = JSON.parse(msg.body);
  } catch {
    return reject(msg, null, 'not JSON');
  }
  if (!isObject(parsed)) return reject(msg, null, 'not an event envelope (expected a JSON object)');
  const e = parsed;
  const problem = envelopeProblem(e) ?? subjectProblem(e, msg.subject) ?? dataProblem(e, msg.subject);
  if (problem) return reject(msg, e, problem);
  const data = e.data as Record<string, unknown>;
  const userId = isUuid(data.userId) ? data.userId.toLowerCase() : null;
  return {
    ok: true,
    row: {
      event_id: (e.id as string).toLowerCase(),
      type: e.type as string,
      version: e.version as number,
      producer: e.producer as EventProducer,
      occurred_at: toClickHouseTime(e.occurredAt as string),
      user_id: userId,
      data: JSON.stringify(data),
      stream: msg.stream,
      stream_seq: msg.streamSeq,
    },
  };
}

function envelopeProblem(e: Record<string, unknown>): string | null {
  if (!isUuid(e.id)) return 'id must be a UUID';
  if (typeof e.type !== 'string' || !TYPE_NAME.test(e.type)) return 'type must be an event type name (PascalCase, at most 100 characters)';
  if (!Number.isInteger(e.version) || (e.version as number) < 1 || (e.version as number) > 65_535) return 'version must be a whole number from 1';
  if (typeof e.occurredAt !== 'string' || !validTime(e.occurredAt)) return 'occurredAt must be an ISO-8601 timestamp between 1970 and 2200';
  if (typeof e.producer !== 'string' || !PRODUCERS.includes(e.producer)) return `producer must be one of ${PRODUCERS.join(', ')}`;
  if (!isObject(e.data)) return 'data must be an object';
  return null;
}

/**
 * What a subject says about its events, worked out once per subject (a stream holds few): its
 * producer, type and version as eventSubject writes them, and that type's contract fields.
 * Unknown subjects (not of eventSubject's form) are remembered as null.
 */
interface SubjectFacts {
  producer: string;
  type: string;
  version: number;
  fields: ContractFields | null;
}
const SUBJECT_FACTS = new Map<string, SubjectFacts | null>();
/** Bounds the memo: subjects come from outside (anything under events.>). */
const MAX_SUBJECTS_REMEMBERED = 10_000;

function subjectFacts(subject: string): SubjectFacts | null {
  let facts = SUBJECT_FACTS.get(subject);
  if (facts !== undefined) return facts;
  const [prefix, producer, type, version, ...rest] = subject.split('.');
  const versionNumber = Number(version?.slice(1));
  facts =
    prefix === 'events' && producer && type && rest.length === 0 && Number.isInteger(versionNumber)
      ? { producer, type, version: versionNumber, fields: CONTRACT_FIELDS.get(`${type}.v${versionNumber}`) ?? null }
      : null;
  // Only a subject eventSubject would write for these parts counts ('v01' is not 'v1').
  if (facts && eventSubject(facts.producer as EventProducer, facts.type, facts.version) !== subject) facts = null;
  if (SUBJECT_FACTS.size >= MAX_SUBJECTS_REMEMBERED) SUBJECT_FACTS.clear();
  SUBJECT_FACTS.set(subject, facts);
  return facts;
}

function subjectProblem(e: Record<string, unknown>, subject: string): string | null {
  const facts = subjectFacts(subject);
  if (facts && facts.producer === e.producer && facts.type === e.type && facts.version === e.version) return null;
  const expected = eventSubject(e.producer as EventProducer, e.type as string, e.version as number);
  return `subject ${subject} does not match the envelope (expected ${expected})`;
}

type ContractFields = ReadonlyArray<readonly [string, FieldKind]>;
/** The contracts as field lists, built once (classify runs for every ingested event). */
const CONTRACT_FIELDS = new Map<string, ContractFields>(Object.entries(EVENT_CONTRACTS).map(([key, contract]) => [key, Object.entries(contract)]));
const LINE_FIELDS: ContractFields = Object.entries(LINE);

/** Called once the subject matched the envelope: the subject's facts name the type's contract. */
function dataProblem(e: Record<string, unknown>, subject: string): string | null {
  const fields = subjectFacts(subject)?.fields;
  return fields ? fieldsProblem(e.data as Record<string, unknown>, fields, 'data') : null;
}

function fieldsProblem(data: Record<string, unknown>, fields: ContractFields, path: string): string | null {
  for (const [field, kind] of fields) {
    const problem = fieldProblem(data[field], kind, path, field);
    if (problem) return problem;
  }
  return null;
}

/** The path (`data.lines[1].quantity`) is only built for a problem: most events have none. */
function fieldProblem(value: unknown, kind: FieldKind, parent: string, field: string): string | null {
  switch (kind) {
    case 'uuid':
      return isUuid(value) ? null : `${parent}.${field} must be a UUID`;
    case 'uuid?':
      return value === null || value === undefined || isUuid(value) ? null : `${parent}.${field} must be a UUID or null`;
    case 'text':
      return typeof value === 'string' && value.length > 0 && value.length <= 1_000 ? null : `${parent}.${field} must be a non-empty string`;
    case 'currency':
      return isCurrencyCode(value) ? null : `${parent}.${field} must be a 3-letter currency code`;
    case 'count':
      return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 1_000_000
        ? null
        : `${parent}.${field} must be a whole number from 1 to 1000000`;
    case 'cents':
      return Number.isSafeInteger(value) && (value as number) >= 0 ? null : `${parent}.${field} must be a whole, non-negative number of cents`;
    case 'version':
      return Number.isSafeInteger(value) && (value as number) >= 0 ? null : `${parent}.${field} must be a whole, non-negative number`;
    case 'texts':
      return Array.isArray(value) && value.length <= 100 && value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 200)
        ? null
        : `${parent}.${field} must be a list of at most 100 non-empty strings`;
    case 'lines': {
      const path = `${parent}.${field}`;
      if (!Array.isArray(value) || value.length === 0 || value.length > 1_000) return `${path} must be a list of 1 to 1000 lines`;
      for (let i = 0; i < value.length; i++) {
        const line: unknown = value[i];
        if (!isObject(line)) return `${path}[${i}] must be an object`;
        const problem = fieldsProblem(line, LINE_FIELDS, `${path}[${i}]`);
        if (problem) return problem;
      }
      return null;
    }
  }
}

function reject(msg: IncomingMessage, e: Record<string, unknown> | null, reason: string): Classified {
  return {
    ok: false,
    row: {
      stream: msg.stream,
      subject: msg.subject,
      stream_seq: msg.streamSeq,
      event_id: typeof e?.id === 'string' ? e.id.slice(0, 100) : '',
      type: typeof e?.type === 'string' ? e.type.slice(0, 100) : '',
      reason,
      payload: msg.body.length > MAX_PAYLOAD_KEPT ? `${msg.body.slice(0, MAX_PAYLOAD_KEPT)}…` : msg.body,
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MIN_TIME = Date.UTC(1970, 0, 1);
const MAX_TIME = Date.UTC(2200, 0, 1);

/**
 * A UUID in its 8-4-4-4-12 hex form, either case. By hand rather than a regular expression: three
 * or four of these per event, and ingestion checks every event.
 */
export function isUuid(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = value.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
    } else if (!((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66))) return false;
  }
  return true;
}

function isCurrencyCode(value: unknown): boolean {
  if (typeof value !== 'string' || value.length !== 3) return false;
  for (let i = 0; i < 3; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x41 || c > 0x5a) return false;
  }
  return true;
}

function validTime(text: string): boolean {
  const t = isCanonicalUtc(text) ? canonicalUtcMillis(text) : parsedTime(text);
  return !Number.isNaN(t) && t >= MIN_TIME && t < MAX_TIME;
}

function parsedTime(text: string): number {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : NaN;
}

/**
 * Date.parse of toISOString()'s form, from its digits: what Date.parse accepts there (a day up to
 * 31 in any month, rolling over, and 24:00:00.000), for a fraction of its cost.
 */
function canonicalUtcMillis(text: string): number {
  const digits = (from: number, to: number): number => {
    let n = 0;
    for (let i = from; i < to; i++) n = n * 10 + text.charCodeAt(i) - 0x30;
    return n;
  };
  const [month, day, hour, minute, second, millis] = [digits(5, 7), digits(8, 10), digits(11, 13), digits(14, 16), digits(17, 19), digits(20, 23)];
  if (month < 1 || month > 12 || day < 1 || day > 31 || minute > 59 || second > 59) return NaN;
  if (hour > 24 || (hour === 24 && (minute > 0 || second > 0 || millis > 0))) return NaN;
  return Date.UTC(digits(0, 4), month - 1, day, hour, minute, second, millis);
}

/** toISOString()'s form: 'd' a digit, anything else itself. */
const CANONICAL_UTC = 'dddd-dd-ddTdd:dd:dd.dddZ';
const DIGIT = 0x64;

/** toISOString()'s form, 'YYYY-MM-DDTHH:MM:SS.mmmZ' (what producers write), checked by hand. */
function isCanonicalUtc(text: string): boolean {
  if (text.length !== CANONICAL_UTC.length) return false;
  for (let i = 0; i < CANONICAL_UTC.length; i++) {
    const c = text.charCodeAt(i);
    const expected = CANONICAL_UTC.charCodeAt(i);
    if (expected === DIGIT ? c < 0x30 || c > 0x39 : c !== expected) return false;
  }
  return true;
}

/** '2026-11-21T10:00:00.123Z' → '2026-11-21 10:00:00.123' (UTC), the form DateTime64(3) reads. */
export function toClickHouseTime(iso: string): string {
  // Producers write toISOString()'s form; anything else (an offset, other precision) is normalised.
  const utc = isCanonicalUtc(iso) ? iso : new Date(iso).toISOString();
  return `${utc.slice(0, 10)} ${utc.slice(11, 23)}`;
}
