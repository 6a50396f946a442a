import { DEAD_LETTER_STREAM, eventStreamName, eventStreamSubjects, type EventProducer } from '@polystore/contracts';
import { Logger } from '@nestjs/common';
import { jetstreamManager, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { envInt } from '../config/env.js';
import { withJetStreamRetry } from './jetstream-admin.js';

/** Window in which JetStream drops a republished event with the same Nats-Msg-Id. */
export const DEDUP_WINDOW_MS = 10 * 60_000;

/** Creates (or updates) the producer's event stream: `events.<producer>.>`, file-backed, deduplicating. */
export async function ensureEventStream(nc: NatsConnection, producer: EventProducer): Promise<void> {
  await ensureStream(nc, {
    name: eventStreamName(producer),
    subjects: [eventStreamSubjects(producer)],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: nanos(DEDUP_WINDOW_MS),
    max_age: nanos(7 * 24 * 3600_000),
  });
}

/**
 * Starts a consumer of another producer's stream, which exists only once that producer first
 * started. Any other error of the first try fails the caller (a broken boot should be loud); while
 * the stream is missing, tries again every `retryMs` until it starts or the returned function
 * cancels it. A later try's failure is logged (nobody awaits it).
 */
export async function startWhenStreamExists(stream: string, start: () => Promise<void>, logger: Logger, retryMs = 2_000): Promise<() => void> {
  let timer: NodeJS.Timeout | null = null;
  let cancelled = false;
  const later = () => {
    timer = setTimeout(() => {
      timer = null;
      if (cancelled) return;
      start().catch((error: Error) => {
        if (cancelled) return;
        if (isStreamMissing(error)) later();
        else logger.error(`consuming ${stream} failed: ${error.message}`);
      });
    }, retryMs);
    timer.unref();
  };
  try {
    await start();
  } catch (error) {
    if (!isStreamMissing(error as Error)) throw error;
    logger.log(`${stream} does not exist yet (its producer has not started); looking again every ${retryMs} ms`);
    later();
  }
  return () => {
    cancelled = true;
    if (timer) clearTimeout(timer);
  };
}

const isStreamMissing = (error: Error): boolean => /stream not found/i.test(error.message);

export async function ensureDeadLetterStream(nc: NatsConnection): Promise<void> {
  await ensureStream(nc, {
    name: DEAD_LETTER_STREAM,
    subjects: ['deadletter.>'],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(30 * 24 * 3600_000),
  });
}

/** Copies of each stream in a clustered NATS (3 in the Helm chart: R3); 1 on a single server. */
export const streamReplicas = (): number => envInt('NATS_STREAM_REPLICAS', 1, { min: 1, max: 5 });

async function ensureStream(nc: NatsConnection, stream: Partial<StreamConfig> & { name: string }): Promise<void> {
  await withJetStreamRetry(`stream ${stream.name}`, () => createOrUpdateStream(nc, stream));
}

async function createOrUpdateStream(nc: NatsConnection, stream: Partial<StreamConfig> & { name: string }): Promise<void> {
  const config = { ...stream, num_replicas: streamReplicas() };
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    try {
      await jsm.streams.add(config);
    } catch (addError) {
      // Another instance created it between our look-up and add.
      if (!/already in use|already exists/i.test(String((addError as Error).message))) throw addError;
    }
  }
}

function isNotFound(error: unknown): boolean {
  return /not found/i.test(String((error as Error)?.message));
}
