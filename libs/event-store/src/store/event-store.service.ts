import { Inject, Injectable, Optional } from '@nestjs/common';
import { EventStoreDatabase } from '../database/event-store-database';
import { HorizonLag, HorizonMonitor } from '../database/horizon-monitor';
import { eraseTenantSubject } from '../redaction/erase-subject';
import { checkRedactionRequest, redactEvent } from '../redaction/redaction';
import { readTenantLatestSnapshot, recordTenantSnapshot } from '../snapshots/snapshots';
import { AppendOptions } from '../types/append-options';
import {
  EventPage,
  EventPageRequest,
  EventQueryFilter,
  EventStatistics,
  StatisticsRange,
  ReadMode,
  StreamEventsOptions,
  VersionRange,
} from '../types/read-options';
import { ErasureOptions, ErasureResult, RedactionRequest } from '../types/redaction';
import { Snapshot, SnapshotInput } from '../types/snapshot';
import { NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';
import { EventMigrationHandler } from '../upcasting/event-migration.handler';
import { assertTenantId, assertUuid } from '../validation/rules';
import { SPAN, appendAttributes } from '../observability/span-attributes';
import { withSpan } from '../observability/tracer';
import { AppendSignal } from './append-signal';
import { clearTenant } from './clear-tenant-events';
import { EventAppender } from './event-appender';
import { CheckpointedEvent, EventReader } from './event-reader';
import { toStoredEvent } from './event-row';
import { INLINE_APPEND, InlineAppend } from './inline-append';
import { readEventById } from './read-events';
import { ExportedEvent, ImportResult, importEvents } from './import-events';

// Kept importable from here, where it was defined until the service was split (decision 0027).
export type { CheckpointedEvent } from './event-reader';

/**
 * The tenant-scoped, append-only event log. Every method validates its input
 * (EventValidationError naming the field), runs in its tenant's security
 * context, and returns events upcast to the latest version of their type
 * unless `raw` is asked for.
 */
@Injectable()
export class EventStoreService {
  /** Fires after every committed append (wakes subscriptions here, NOTIFYs other processes). */
  readonly appended: AppendSignal;
  private readonly appender: EventAppender;
  private readonly reader: EventReader;

  constructor(
    private readonly database: EventStoreDatabase,
    migrations: EventMigrationHandler,
    private readonly horizon: HorizonMonitor,
    @Optional() @Inject(INLINE_APPEND) inline?: InlineAppend,
  ) {
    this.appended = new AppendSignal(database);
    this.appender = new EventAppender(database, migrations, this.appended, inline);
    this.reader = new EventReader(database, migrations);
  }

  /**
   * Appends one event. See appendEvents.
   * @throws ConcurrencyError, DuplicateEventError, EventValidationError, StoreUnavailableError
   */
  async appendEvent(event: NewDomainEvent, tenantId: string, options?: AppendOptions): Promise<StoredDomainEvent> {
    const [stored] = await this.appendEvents([event], tenantId, options);
    return stored;
  }

  /**
   * Appends a batch atomically (all or nothing, also across streams) in one
   * statement. Re-sending the same event ids with the same content returns the
   * stored events without duplicating them.
   * @returns the stored events, in batch order, as stored (not upcast)
   * @throws ConcurrencyError when an expected version does not match
   * @throws DuplicateEventError when an event id was used with other content
   * @throws EventValidationError naming every bad field, and an event type
   *   that a registered aggregate type does not declare (see declareEventTypes)
   * @throws StoreUnavailableError when the database is unreachable
   */
  appendEvents(events: NewDomainEvent[], tenantId: string, options?: AppendOptions): Promise<StoredDomainEvent[]> {
    // One span per append (decision 0026): a no-op unless the app registers an OpenTelemetry SDK.
    const attributes = appendAttributes(Array.isArray(events) ? events : [], tenantId, options);
    return withSpan(SPAN.append, { attributes }, () => this.appender.append(events, tenantId, options));
  }

  /**
   * Declares the event types of an aggregate type: from then on, appends to
   * streams of that type accept only these (and any earlier declared ones).
   * AggregateRepository declares its class's handlers; call it yourself for
   * aggregate types written without a repository.
   * @throws EventValidationError for a malformed type name
   */
  declareEventTypes(aggregateType: string, eventTypes: Iterable<string>): void {
    this.appender.declaredEventTypes.declare(aggregateType, eventTypes);
  }

  /** The event types declared for an aggregate type, or undefined when it accepts any. */
  getDeclaredEventTypes(aggregateType: string): ReadonlySet<string> | undefined {
    return this.appender.declaredEventTypes.of(aggregateType);
  }

  /**
   * The events of one stream in version order, optionally a version range.
   * @returns an empty array when the tenant has no such stream
   */
  getEventsForAggregate(aggregateId: string, tenantId: string, range?: VersionRange & ReadMode): Promise<StoredDomainEvent[]> {
    return this.reader.forAggregate(aggregateId, tenantId, range);
  }

  /**
   * The stream's type and version with its events.
   * @throws StreamNotFoundError when the tenant has no such stream
   */
  getStream(
    aggregateId: string,
    tenantId: string,
    range?: VersionRange & ReadMode,
  ): Promise<{ aggregateId: string; aggregateType: string; version: number; events: StoredDomainEvent[] }> {
    return this.reader.stream(aggregateId, tenantId, range);
  }

  /**
   * Events after a global position (exclusive) or that occurred at or after a
   * date, up to `limit` (default 1000). For consuming the log use streamEvents
   * or a subscription, which checkpoint gap-safely.
   */
  getEventsSince(
    tenantId: string,
    since: { position: string | number } | Date,
    options?: { limit?: number } & ReadMode,
  ): Promise<StoredDomainEvent[]> {
    return this.reader.since(tenantId, since, options);
  }

  /** Events of one type in the store's order (up to `limit`, default 1000). */
  getEventsByType(tenantId: string, eventType: string, options?: { limit?: number } & ReadMode): Promise<StoredDomainEvent[]> {
    return this.reader.byType(tenantId, eventType, options);
  }

  /** Events of one aggregate type in the store's order (up to `limit`, default 1000). */
  getEventsByAggregateType(tenantId: string, aggregateType: string, options?: { limit?: number } & ReadMode): Promise<StoredDomainEvent[]> {
    return this.reader.byAggregateType(tenantId, aggregateType, options);
  }

  /**
   * One event.
   * @throws EventNotFoundError when unknown or another tenant's (never "forbidden")
   */
  getEventById(tenantId: string, eventId: string, mode?: ReadMode): Promise<StoredDomainEvent> {
    return this.reader.byId(tenantId, eventId, mode);
  }

  /**
   * Filtered keyset pages over the tenant's events in the store's gap-safe
   * order: following `nextCursor` yields every match exactly once, even while
   * new events arrive.
   */
  queryEvents(
    tenantId: string,
    filter: EventQueryFilter = {},
    page: EventPageRequest & ReadMode = {},
  ): Promise<EventPage<StoredDomainEvent>> {
    return this.reader.query(tenantId, filter, page);
  }

  /**
   * Iterates the global order (one tenant, or all tenants for system use) in
   * batches with bounded memory, gap-safely: it never yields past a
   * transaction still in flight, so a late commit is never skipped. Each event
   * carries its `checkpoint`; pass the last one as `after` to resume.
   */
  streamEvents(options: StreamEventsOptions = {}): AsyncGenerator<CheckpointedEvent> {
    return this.reader.all(options);
  }

  /**
   * Stores events exported from a store (streamEvents with `raw`, less
   * position and transaction id) exactly as they were: same id, stream
   * version, event version, times, payload, metadata and redaction status,
   * at new positions, in the order given, in one transaction. Idempotent by
   * event id: ids stored already (same stream, version and type) are
   * skipped. Nothing is upcast, validated against payload schemas, or
   * delivered as an append of this process (subscriptions read it from the log).
   * @throws EventValidationError for a malformed event
   * @throws DuplicateEventError when an id is stored with another stream, version or type
   */
  importEvents(tenantId: string, events: ExportedEvent[]): Promise<ImportResult> {
    return importEvents(this.database, tenantId, events);
  }

  /**
   * Totals, redacted count, counts by event type and aggregate type, first and
   * last event time; with a range, of the events that occurred in it.
   * @throws EventValidationError naming `range.from` / `range.to` for a bad date or an empty range
   */
  getStatistics(tenantId: string, range: StatisticsRange = {}): Promise<EventStatistics> {
    return this.reader.statistics(tenantId, range);
  }

  /**
   * Stores a snapshot of an aggregate at a version it has reached.
   * @throws StreamNotFoundError when the stream does not exist
   */
  recordSnapshot(aggregateId: string, tenantId: string, snapshot: SnapshotInput): Promise<void> {
    return recordTenantSnapshot(this.database, tenantId, aggregateId, snapshot);
  }

  /**
   * The newest snapshot of an aggregate, or null.
   * @param options.maxVersion newest version to consider (time travel)
   * @param options.schemaVersion only snapshots of this state shape
   */
  getLatestSnapshot<T = unknown>(
    aggregateId: string,
    tenantId: string,
    options?: { maxVersion?: number; schemaVersion?: number },
  ): Promise<Snapshot<T> | null> {
    return readTenantLatestSnapshot<T>(this.database, tenantId, aggregateId, options);
  }

  /**
   * GDPR redaction of one event: the payload becomes `{ redacted: true }`,
   * metadata keeps only allow-listed keys, the envelope and order stay, and the
   * redaction is logged. In the same transaction a `$EventsRedacted` marker
   * is appended, which projections and subscribers receive in `onRedacted`.
   * Repeating it changes nothing (and announces nothing).
   * @throws EventNotFoundError when unknown or another tenant's
   */
  async redactEvent(eventId: string, tenantId: string, request: RedactionRequest): Promise<StoredDomainEvent> {
    assertTenantId(tenantId);
    assertUuid('eventId', eventId);
    checkRedactionRequest(request);
    const allowList = this.database.options.redactionMetadataAllowList;
    // As the login: the redaction's marker event goes through the append function, which the tenant role may not call.
    const { row, changed } = await this.database.runInTenantAsLogin(
      tenantId,
      async (q) => {
        const changed = await redactEvent(q, tenantId, eventId, request, allowList);
        // The event as stored after the redaction; EventNotFoundError when the tenant has no such event.
        return { row: await readEventById(q, tenantId, eventId), changed };
      },
      'redactEvent',
    );
    if (changed) this.appended.fire();
    return toStoredEvent(row);
  }

  /**
   * Redacts every not yet redacted event linked to a data subject by
   * `metadata.subjectId(s)`, in chunks of `chunkSize` events, each chunk in
   * its own short transaction (redacted, logged and announced to read models
   * together), so readers of other tenants wait at most one chunk. Resumable:
   * after a failure, repeating the request redacts what is left.
   * @returns how many events this request redacted
   * @throws EventValidationError for a bad subject id, request or option
   */
  eraseSubject(subjectId: string, tenantId: string, request: RedactionRequest, options: ErasureOptions = {}): Promise<ErasureResult> {
    return eraseTenantSubject(this.database, subjectId, tenantId, request, options, () => this.appended.fire());
  }

  /**
   * Deletes every event, stream and snapshot of a tenant (the redaction log is
   * append-only and stays), in transactions of at most 1000 events (each one
   * holds readers of the global order back while it runs); if interrupted,
   * calling it again finishes it. On a server with separate logins, the
   * runtime login must also have been granted the purge role (`<rolePrefix>_purge`).
   * @throws OperationNotAllowedError unless the module was configured with `allowTenantPurge: true`
   *   and the login may execute the purge
   */
  async clearTenantEvents(tenantId: string): Promise<{ deletedEvents: number }> {
    assertTenantId(tenantId);
    return { deletedEvents: await clearTenant(this.database, tenantId) };
  }

  /**
   * How long readers of the global order (subscriptions, projections,
   * streamEvents, queryEvents) have been held back by a transaction of this
   * database that is still open, and which one: pid, application, age and
   * statement where the login may read them (pg_read_all_stats).
   * @throws StoreUnavailableError
   */
  getHorizonLag(): Promise<HorizonLag> {
    return this.horizon.getHorizonLag();
  }

  /** Pings the database; used by health checks. @throws StoreUnavailableError */
  async ping(): Promise<void> {
    await this.database.query('SELECT 1', [], 'ping');
  }
}
