import { Injectable, Optional } from '@nestjs/common';
import { EventStoreDatabase } from '../database/event-store-database';
import { HorizonLag, HorizonMonitor } from '../database/horizon-monitor';
import { ConcurrencyError } from '../errors/concurrency.error';
import { DuplicateEventError } from '../errors/duplicate-event.error';
import { DEFAULT_ERASURE_CHUNK, checkErasure, eraseSubjectInChunks } from '../redaction/erase-subject';
import { checkRedactionRequest, redactEvent } from '../redaction/redaction';
import { checkSnapshotInput, checkSnapshotQuery, readLatestSnapshot, recordSnapshot } from '../snapshots/snapshots';
import { AppendOptions } from '../types/append-options';
import {
  EventPage,
  EventPageRequest,
  EventQueryFilter,
  EventStatistics,
  StatisticsRange,
  ReadMode,
  StreamCheckpoint,
  StreamEventsOptions,
  VersionRange,
} from '../types/read-options';
import { ErasureOptions, ErasureResult, RedactionRequest } from '../types/redaction';
import { Snapshot, SnapshotInput } from '../types/snapshot';
import { NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';
import { EventMigrationHandler } from '../upcasting/event-migration.handler';
import { assertId, assertTenantId, assertTypeName, assertUuid } from '../validation/rules';
import { DeclaredEventTypes } from '../aggregates/declared-event-types';
import { InlineProjections } from '../projections/inline-projections';
import { AppendCommitter } from './append-committer';
import { PreparedAppend, prepareAppend, withPayloads } from './append-events';
import { AppendSignal } from './append-signal';
import { clearTenant } from './clear-tenant-events';
import { EventRow, toCheckpointedEvent, toStoredEvent } from './event-row';
import { checkQuery, queryEventRows } from './query-events';
import { DEFAULT_SINCE_LIMIT, checkEventsSince, readEventById, readEventsSince } from './read-events';
import { READ_STREAM_ONE_TRIP_SQL, checkStreamRead, readStream, readStreamHead } from './read-stream';
import { checkStatisticsRange, readStatistics } from './statistics';
import { checkStreamOptions, streamEventRows } from './stream-events';
import { ExportedEvent, ImportResult, importEvents } from './import-events';

/** A stored event together with its checkpoint in the gap-safe global order. */
export type CheckpointedEvent = StoredDomainEvent & { checkpoint: StreamCheckpoint };

/**
 * The tenant-scoped, append-only event log. Every method validates its input
 * (EventValidationError naming the field), runs in its tenant's security
 * context, and returns events upcast to the latest version of their type
 * unless `raw` is asked for.
 */
@Injectable()
export class EventStoreService {
  private readonly committer: AppendCommitter;
  /** Fires after every committed append (wakes subscriptions here, NOTIFYs other processes). */
  readonly appended: AppendSignal;
  private readonly declaredEventTypes = new DeclaredEventTypes();
  private readonly eventTypesOf = (aggregateType: string): ReadonlySet<string> | undefined => this.declaredEventTypes.of(aggregateType);

  constructor(
    private readonly database: EventStoreDatabase,
    private readonly migrations: EventMigrationHandler,
    private readonly horizon: HorizonMonitor,
    @Optional() private readonly inline?: InlineProjections,
  ) {
    const { appendConcurrency, maxAppendsPerTransaction, maxEventsPerAppend } = database.options;
    this.committer = new AppendCommitter(database, {
      concurrency: appendConcurrency,
      maxAppends: maxAppendsPerTransaction,
      maxEvents: maxEventsPerAppend,
    });
    this.appended = new AppendSignal(database);
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
  async appendEvents(events: NewDomainEvent[], tenantId: string, options?: AppendOptions): Promise<StoredDomainEvent[]> {
    const prepared = prepareAppend(events, tenantId, options, this.database.options, this.eventTypesOf);
    // Payload schemas (async class-validator) after the envelope checks, before anything is sent.
    await this.migrations.validatePayloads(events);
    try {
      return (await this.runAppend(prepared, events)).map(toStoredEvent);
    } catch (error) {
      // A concurrent identical retry: the other call committed these very
      // events first. Reading them back through the idempotent path settles it.
      // A conflict asks first whether any of the ids is stored (one probe, no
      // stream lock): usually none is, and the conflict stands as it is.
      if (
        prepared.clientIds &&
        (error instanceof DuplicateEventError || (error instanceof ConcurrencyError && (await this.committer.anyStored(prepared))))
      ) {
        const again = await this.runAppend(prepared, events).catch(() => undefined);
        if (again) return again.map(toStoredEvent);
      }
      throw error;
    }
  }

  /**
   * Declares the event types of an aggregate type: from then on, appends to
   * streams of that type accept only these (and any earlier declared ones).
   * AggregateRepository declares its class's handlers; call it yourself for
   * aggregate types written without a repository.
   * @throws EventValidationError for a malformed type name
   */
  declareEventTypes(aggregateType: string, eventTypes: Iterable<string>): void {
    this.declaredEventTypes.declare(aggregateType, eventTypes);
  }

  /** The event types declared for an aggregate type, or undefined when it accepts any. */
  getDeclaredEventTypes(aggregateType: string): ReadonlySet<string> | undefined {
    return this.declaredEventTypes.of(aggregateType);
  }

  private async runAppend(prepared: PreparedAppend, events: readonly NewDomainEvent[]): Promise<EventRow[]> {
    // Inline projections need the append in a transaction of their own; every other append keeps group commit.
    const inline = this.inline?.matching(prepared.tenantId, events);
    const rows = inline
      ? await this.inline!.append(prepared, inline, (fresh) => this.toEvents(withPayloads(fresh, prepared)))
      : await this.committer.commit(prepared);
    this.appended.fire();
    return withPayloads(rows, prepared);
  }

  /**
   * The events of one stream in version order, optionally a version range.
   * @returns an empty array when the tenant has no such stream
   */
  async getEventsForAggregate(aggregateId: string, tenantId: string, range?: VersionRange & ReadMode): Promise<StoredDomainEvent[]> {
    assertTenantId(tenantId);
    const { from, to } = checkStreamRead(aggregateId, range);
    const rows = await this.database.query<EventRow>(READ_STREAM_ONE_TRIP_SQL, [tenantId, aggregateId, from, to], 'getEventsForAggregate');
    return this.toEvents(rows, range);
  }

  /**
   * The stream's type and version with its events.
   * @throws EventNotFoundError when the tenant has no such stream
   */
  async getStream(
    aggregateId: string,
    tenantId: string,
    range?: VersionRange & ReadMode,
  ): Promise<{ aggregateId: string; aggregateType: string; version: number; events: StoredDomainEvent[] }> {
    assertTenantId(tenantId);
    const { from, to } = checkStreamRead(aggregateId, range);
    const { head, rows } = await this.database.runInTenant(
      tenantId,
      async (q) => ({ head: await readStreamHead(q, tenantId, aggregateId), rows: await readStream(q, tenantId, aggregateId, from, to) }),
      'getStream',
    );
    return { aggregateId, ...head, events: this.toEvents(rows, range) };
  }

  /**
   * Events after a global position (exclusive) or that occurred at or after a
   * date, up to `limit` (default 1000). For consuming the log use streamEvents
   * or a subscription, which checkpoint gap-safely.
   */
  async getEventsSince(
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
    return this.toEvents(rows, options);
  }

  /** Events of one type in the store's order (up to `limit`, default 1000). */
  async getEventsByType(tenantId: string, eventType: string, options?: { limit?: number } & ReadMode): Promise<StoredDomainEvent[]> {
    assertTypeName('eventType', eventType);
    return (
      await this.queryEvents(tenantId, { eventTypes: [eventType] }, { limit: options?.limit ?? DEFAULT_SINCE_LIMIT, raw: options?.raw })
    ).items;
  }

  /** Events of one aggregate type in the store's order (up to `limit`, default 1000). */
  async getEventsByAggregateType(
    tenantId: string,
    aggregateType: string,
    options?: { limit?: number } & ReadMode,
  ): Promise<StoredDomainEvent[]> {
    assertTypeName('aggregateType', aggregateType);
    return (await this.queryEvents(tenantId, { aggregateType }, { limit: options?.limit ?? DEFAULT_SINCE_LIMIT, raw: options?.raw })).items;
  }

  /**
   * One event.
   * @throws EventNotFoundError when unknown or another tenant's (never "forbidden")
   */
  async getEventById(tenantId: string, eventId: string, mode?: ReadMode): Promise<StoredDomainEvent> {
    assertTenantId(tenantId);
    assertUuid('eventId', eventId);
    const row = await this.database.runInTenant(tenantId, (q) => readEventById(q, tenantId, eventId), 'getEventById');
    return this.toEvents([row], mode)[0];
  }

  /**
   * Filtered keyset pages over the tenant's events in the store's gap-safe
   * order: following `nextCursor` yields every match exactly once, even while
   * new events arrive.
   */
  async queryEvents(
    tenantId: string,
    filter: EventQueryFilter = {},
    page: EventPageRequest & ReadMode = {},
  ): Promise<EventPage<StoredDomainEvent>> {
    assertTenantId(tenantId);
    const request = checkQuery(filter, page);
    const result = await this.database.runInTenant(
      tenantId,
      (q) => queryEventRows(q, tenantId, filter, { ...request, includeTotal: page.includeTotal }),
      'queryEvents',
    );
    const items = this.toEvents(result.rows, page);
    return result.total === undefined
      ? { items, nextCursor: result.nextCursor, hasMore: result.hasMore }
      : { items, nextCursor: result.nextCursor, hasMore: result.hasMore, total: result.total };
  }

  /**
   * Iterates the global order (one tenant, or all tenants for system use) in
   * batches with bounded memory, gap-safely: it never yields past a
   * transaction still in flight, so a late commit is never skipped. Each event
   * carries its `checkpoint`; pass the last one as `after` to resume.
   */
  async *streamEvents(options: StreamEventsOptions = {}): AsyncGenerator<CheckpointedEvent> {
    const after = checkStreamOptions(options);
    const batches = streamEventRows(this.database, {
      tenantId: options.tenantId,
      after,
      batchSize: options.batchSize ?? 1000,
      eventTypes: options.eventTypes,
    });
    for await (const rows of batches) {
      for (const row of rows) {
        // Built with its checkpoint in one literal: one object shape for every streamed event.
        const event = toCheckpointedEvent(row);
        yield options.raw ? event : this.migrations.migrateIfNeeded(event);
      }
    }
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
  async getStatistics(tenantId: string, range: StatisticsRange = {}): Promise<EventStatistics> {
    assertTenantId(tenantId);
    checkStatisticsRange(range);
    return this.database.runInTenant(tenantId, (q) => readStatistics(q, tenantId, range ?? {}), 'getStatistics');
  }

  /**
   * Stores a snapshot of an aggregate at a version it has reached.
   * @throws EventNotFoundError when the stream does not exist
   */
  async recordSnapshot(aggregateId: string, tenantId: string, snapshot: SnapshotInput): Promise<void> {
    assertTenantId(tenantId);
    assertId('aggregateId', aggregateId);
    checkSnapshotInput(snapshot);
    await this.database.runInTenant(tenantId, (q) => recordSnapshot(q, tenantId, aggregateId, snapshot), 'recordSnapshot');
  }

  /**
   * The newest snapshot of an aggregate, or null.
   * @param options.maxVersion newest version to consider (time travel)
   * @param options.schemaVersion only snapshots of this state shape
   */
  async getLatestSnapshot<T = unknown>(
    aggregateId: string,
    tenantId: string,
    options?: { maxVersion?: number; schemaVersion?: number },
  ): Promise<Snapshot<T> | null> {
    assertTenantId(tenantId);
    checkSnapshotQuery(aggregateId, options);
    return this.database.runInTenant(
      tenantId,
      (q) => readLatestSnapshot<T>(q, tenantId, aggregateId, options?.maxVersion, options?.schemaVersion),
      'getLatestSnapshot',
    );
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
      (q) => redactEvent(q, tenantId, eventId, request, allowList),
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
  async eraseSubject(subjectId: string, tenantId: string, request: RedactionRequest, options: ErasureOptions = {}): Promise<ErasureResult> {
    assertTenantId(tenantId);
    checkErasure(subjectId, options);
    checkRedactionRequest(request);
    const redactedEvents = await eraseSubjectInChunks(this.database, {
      tenantId,
      subjectId,
      request,
      allowList: this.database.options.redactionMetadataAllowList,
      chunkSize: options.chunkSize ?? DEFAULT_ERASURE_CHUNK,
      onProgress: options.onProgress,
      committed: () => this.appended.fire(),
    });
    return { subjectId, redactedEvents };
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

  private toEvents(rows: EventRow[], mode?: ReadMode): StoredDomainEvent[] {
    const events = rows.map(toStoredEvent);
    return mode?.raw ? events : events.map((e) => this.migrations.migrateIfNeeded(e));
  }
}
