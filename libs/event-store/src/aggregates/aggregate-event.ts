import { EventData, EventMetadata } from '../types/stored-domain-event';

/** An event an aggregate applied and has not yet saved. */
export interface UncommittedEvent<TData extends EventData = EventData> {
  /** Chosen when applied, so that a retried save is idempotent. */
  eventId: string;
  eventType: string;
  /** Absent: the repository writes the latest version registered for the type (1 if none). */
  eventVersion?: number;
  occurredAt: Date;
  data: TData;
  metadata?: EventMetadata;
}

/** What a handler sees besides the payload (from the stored envelope or the pending event). */
export interface AppliedEventContext {
  eventType: string;
  eventVersion?: number;
  occurredAt: Date;
  /** Version of the aggregate once this event is applied. */
  aggregateVersion: number;
}

/** Options of `EventSourcedAggregate.apply`. */
export interface ApplyOptions {
  /** Schema version of the payload. @default the latest registered for the type */
  eventVersion?: number;
  /** @default now */
  occurredAt?: Date;
  /** Merged over the metadata given to `save`. */
  metadata?: EventMetadata;
}
