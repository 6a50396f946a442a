import type { ErasureEventData } from '../erasure/events.js';

/**
 * Event types analytics emits, with their schema version: only its answer to an erasure (it
 * ingests everyone's events but announces nothing of its own).
 */
export const AnalyticsEvents = {
  /** The answer to an erasure: the shared contract of libs/contracts/src/erasure (declared again here, equal to it). */
  UserErased: { type: 'UserErased', version: 1 },
} as const;

export type AnalyticsEventData = ErasureEventData;
