import { EventStoreDatabase } from '../database/event-store-database';
import {
  EventPage,
  EventPageRequest,
  EventQueryFilter,
  EventStatistics,
  ReadMode,
  StatisticsRange,
  StreamCheckpoint,
  StreamEventsOptions,
  VersionRange,
} from '../types/read-options';
import { StoredDomainEvent } from '../types/stored-domain-event';
import { EventMigrationHandler } from '../upcasting/event-migration.handler';
import { assertTenantId, assertTypeName, assertUuid } from '../validation/rules';
import { ATTR, SPAN } from '../observability/span-attributes';
import { tracedRead } from '../observability/tracer';
import { EventRow, columnsToCheckpointedEvent, toStoredEvent } from './event-row';
import { checkQuery, queryEventRows } from './query-events';
import { DEFAULT_SINCE_LIMIT, checkEventsSince, readEventById, readEventsSince } from './read-events';
import { READ_STREAM_ONE_TRIP_SQL, READ_STREAM_SQL, checkStreamRead, readStream, readStreamHead } from './read-stream';
import { checkStatisticsRange, readStatistics } from './statistics';
import { checkStreamOptions, streamEventRows } from './stream-events';

/** A stored event together with its checkpoint in the gap-safe global order. */
export type CheckpointedEvent = StoredDomainEvent & { checkpoint: StreamCheckpoint };

/** A stream's type and version with its events (EventStoreService.getStream). */
export interface StreamWithEvents {
  aggregateId: string;
  aggregateType: string;
  version: number;
  events: StoredDomainEvent[];
}

/** Maps rows to events, upcast to the latest version of their type unless `raw` is asked for. */
export function toEvents(migrations: EventMigrationHandler, rows: EventRow[], mode?: ReadMode): StoredDomainEvent[] {
  const events = rows.map(toStoredEvent);
  return mode?.raw ? events : events.map((e) => migrations.migrateIfNeeded(e));
}

/**
 * The read side of EventStoreService, one method per read: each checks its
 * input (EventValidationError naming the field), runs the operation of its
 * file (read-stream.ts, read-events.ts, query-events.ts, stream-events.ts,
 * statistics.ts) in the tenant's security context, and upcasts the result.
 * The service documents the behaviour; this class only does it.
 */
export class EventReader {
  constructor(
    private readonly database: EventStoreDatabase,
    private readonly migrations: EventMigrationHandler,
  ) {}

  async forAggregate(aggregateId: string, tenantId: string, range?: VersionRange & ReadMode): Promise<StoredDomainEvent[]> {
    assertTenantId(tenantId);
    const { from, to } = checkStreamRead(aggregateId, range);
    const values = [tenantId, aggregateId, from, to];
    const rows = await tracedRead(SPAN.readStream, { [ATTR.tenantId]: tenantId, [ATTR.aggregateId]: aggregateId }, () =>
      this.database.pipelinesTenantReads
        ? this.database.queryInTenant<EventRow>(tenantId, { text: READ_STREAM_SQL, values }, 'getEventsForAggregate')
        : this.database.query<EventRow>(READ_STREAM_ONE_TRIP_SQL, values, 'getEventsForAggregate'),
    );
    return toEvents(this.migrations, rows, range);
  }

  async stream(aggregateId: string, tenantId: string, range?: VersionRange & ReadMode): Promise<StreamWithEvents> {
    assertTenantId(tenantId);
    const { from, to } = checkStreamRead(aggregateId, range);
    const { head, rows } = await tracedRead(SPAN.readStream, { [ATTR.tenantId]: tenantId, [ATTR.aggregateId]: aggregateId }, () =>
      this.database.runInTenant(
        tenantId,
        async (q) => ({ head: await readStreamHead(q, tenantId, aggregateId), rows: await readStream(q, tenantId, aggregateId, from, to) }),
        'getStream',
      ),
    );
    return { aggregateId, ...head, events: toEvents(this.migrations, rows, range) };
  }

  async since(
    tenantId: string,
    since: { position: string | number } | Date,
    options?: { limit?: number } & ReadMode,
  ): Promise<StoredDomainEvent[]> {
    assertTenantId(tenantId);
    const normalized = checkEventsSince(since, options);
    const rows = await this.database.runInTenant(
      tenantId,
      (q) => readEventsSince(q, tenantId, normalized, options?.limit ?? DEFAULT_SINCE_LIMIT),
      'getEventsSince',
    );
    return toEvents(this.migrations, rows, options);
  }

  async byType(tenantId: string, eventType: string, options?: { limit?: number } & ReadMode): Promise<StoredDomainEvent[]> {
    assertTypeName('eventType', eventType);
    return (await this.query(tenantId, { eventTypes: [eventType] }, { limit: options?.limit ?? DEFAULT_SINCE_LIMIT, raw: options?.raw }))
      .items;
  }

  async byAggregateType(tenantId: string, aggregateType: string, options?: { limit?: number } & ReadMode): Promise<StoredDomainEvent[]> {
    assertTypeName('aggregateType', aggregateType);
    return (await this.query(tenantId, { aggregateType }, { limit: options?.limit ?? DEFAULT_SINCE_LIMIT, raw: options?.raw })).items;
  }

  async byId(tenantId: string, eventId: string, mode?: ReadMode): Promise<StoredDomainEvent> {
    assertTenantId(tenantId);
    assertUuid('eventId', eventId);
    const row = await this.database.runInTenant(tenantId, (q) => readEventById(q, tenantId, eventId), 'getEventById');
    return toEvents(this.migrations, [row], mode)[0];
  }

  async query(tenantId: string, filter: EventQueryFilter, page: EventPageRequest & ReadMode): Promise<EventPage<StoredDomainEvent>> {
    assertTenantId(tenantId);
    const request = checkQuery(filter, page);
    const result = await tracedRead(SPAN.queryEvents, { [ATTR.tenantId]: tenantId }, () =>
      this.database.runInTenant(
        tenantId,
        (q) => queryEventRows(q, tenantId, filter, { ...request, includeTotal: page.includeTotal }),
        'queryEvents',
      ),
    );
    const items = toEvents(this.migrations, result.rows, page);
    return result.total === undefined
      ? { items, nextCursor: result.nextCursor, hasMore: result.hasMore }
      : { items, nextCursor: result.nextCursor, hasMore: result.hasMore, total: result.total };
  }

  async *all(options: StreamEventsOptions): AsyncGenerator<CheckpointedEvent> {
    const after = checkStreamOptions(options);
    const batches = streamEventRows(this.database, {
      tenantId: options.tenantId,
      after,
      batchSize: options.batchSize ?? 1000,
      eventTypes: options.eventTypes,
    });
    for await (const rows of batches) {
      for (const row of rows) {
        const event = columnsToCheckpointedEvent(row);
        yield options.raw ? event : this.migrations.migrateIfNeeded(event);
      }
    }
  }

  async statistics(tenantId: string, range: StatisticsRange): Promise<EventStatistics> {
    assertTenantId(tenantId);
    checkStatisticsRange(range);
    return this.database.runInTenant(tenantId, (q) => readStatistics(q, tenantId, range ?? {}), 'getStatistics');
  }
}
