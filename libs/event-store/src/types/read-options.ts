/** Range of an aggregate's history, by aggregate version (both inclusive). */
export interface VersionRange {
  /** @default 1 */
  fromVersion?: number;
  /** @default the stream's last version */
  toVersion?: number;
}

/** How events are returned. */
export interface ReadMode {
  /**
   * Return the payload exactly as stored (no upcasting): for exports and audits.
   * @default false
   */
  raw?: boolean;
}

/** Filters of `queryEvents`. All are optional and combine with AND. */
export interface EventQueryFilter {
  /** Any of these event types. */
  eventTypes?: string[];
  aggregateType?: string;
  aggregateId?: string;
  /** occurredAt >= from */
  from?: Date;
  /** occurredAt < to */
  to?: Date;
  /** Case-insensitive keyword anywhere in the payload. */
  keyword?: string;
  correlationId?: string;
  userId?: string;
}

/** Date range of `getStatistics`, by occurrence time. Both bounds are optional. */
export interface StatisticsRange {
  /** occurredAt >= from */
  from?: Date;
  /** occurredAt < to */
  to?: Date;
}

/** Keyset page request of `queryEvents`. */
export interface EventPageRequest {
  /** 1..1000. @default 100 */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | null;
  /** @default 'asc' */
  order?: 'asc' | 'desc';
  /** Also count every match (costs a second query). @default false */
  includeTotal?: boolean;
}

/** One page of `queryEvents`. */
export interface EventPage<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null when there is none. */
  nextCursor: string | null;
  hasMore: boolean;
  /** Present when `includeTotal` was asked for. */
  total?: number;
}

/** Options of `streamEvents`. */
export interface StreamEventsOptions extends ReadMode {
  /** Only this tenant's events. Without it the stream spans all tenants (system use). */
  tenantId?: string;
  /**
   * Start after this checkpoint (exclusive). Use the `checkpoint` of the last
   * event processed. @default the beginning of the log
   */
  after?: StreamCheckpoint | null;
  /** Rows fetched per round trip. @default 1000 */
  batchSize?: number;
  /** Only these event types. */
  eventTypes?: string[];
}

/**
 * A position in the gap-safe global order: the transaction id and global
 * position of the last event read. Positions alone are not enough: a
 * transaction that started earlier can commit lower positions later.
 */
export interface StreamCheckpoint {
  transactionId: string;
  globalPosition: string;
}

/** Per-tenant statistics. */
export interface EventStatistics {
  totalEvents: number;
  redactedEvents: number;
  byEventType: Record<string, number>;
  byAggregateType: Record<string, number>;
  firstEventAt: Date | null;
  lastEventAt: Date | null;
}
