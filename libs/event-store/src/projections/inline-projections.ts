import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventStoreDatabase } from '../database/event-store-database';
import { isConnectionError } from '../database/driver-errors';
import { InlineProjectionError } from '../errors/inline-projection.error';
import { APPEND_EVENTS_SQL } from '../store/append-events.sql';
import { PreparedAppend } from '../store/append-events';
import { EventRow } from '../store/event-row';
import { InlineAppend } from '../store/inline-append';
import { toCheckpointTransaction } from '../subscriptions/checkpoint-transaction';
import { SubscriptionDefinitionError } from '../subscriptions/subscription.errors';
import { toWorkerDefinition } from '../subscriptions/worker-definition';
import { NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';
import { ProjectionExplorer } from './projection-explorer';
import { ProjectionHandler, ProjectionTransaction } from './projection-handler';

/** A registered inline projection. */
interface InlineProjection {
  name: string;
  /** undefined: every event type. */
  eventTypes: ReadonlySet<string> | undefined;
  tenantId: string | undefined;
  handler: ProjectionHandler;
}

// The transaction's own id, or NULL while it has written nothing. An
// idempotent retry writes nothing and returns events stored earlier, which
// their projections have already seen: only rows of this transaction are new.
const OWN_TRANSACTION_SQL = `SELECT pg_current_xact_id_if_assigned()::text AS xid`;

/**
 * The `@EventProjection({ mode: 'inline' })` providers of this process. An
 * append with an event such a projection handles runs as one transaction:
 * the append function, then each matching projection's `apply` for each new
 * event, then the commit. An error anywhere rolls all of it back and the
 * append throws it. Appends no inline projection handles keep the group
 * commit path untouched. The store reaches them through its InlineAppend
 * interface (token INLINE_APPEND), so store/ does not import projections/.
 */
@Injectable()
export class InlineProjections implements OnModuleInit, InlineAppend<InlineProjection[]> {
  private readonly projections: InlineProjection[] = [];

  constructor(
    private readonly database: EventStoreDatabase,
    private readonly explorer: ProjectionExplorer,
  ) {}

  /**
   * Registers the inline projections at module start, before anything can append.
   * @throws SubscriptionDefinitionError for a bad or duplicate name, bad event types, missing methods, or `onRedacted`
   */
  onModuleInit(): void {
    for (const found of this.explorer.explore()) {
      if (found.options.mode !== 'inline') continue;
      const definition = toWorkerDefinition(found.options, { kind: 'projection', handler: found.instance }, this.database.options.delivery);
      if (found.instance.onRedacted) {
        throw new SubscriptionDefinitionError(
          definition.name,
          'inline projections do not receive redactions yet; drop onRedacted or use the default async mode',
        );
      }
      if (this.projections.some((p) => p.name === definition.name))
        throw new SubscriptionDefinitionError(definition.name, 'the name is used twice');
      this.projections.push({
        name: definition.name,
        eventTypes: found.options.eventTypes && new Set(found.options.eventTypes),
        tenantId: found.options.tenantId,
        handler: found.instance,
      });
    }
  }

  /** Names of the inline projections of this process. */
  names(): string[] {
    return this.projections.map((p) => p.name);
  }

  /** The inline projections that handle at least one event of this append; undefined when none (the fast path). */
  matching(tenantId: string, events: readonly NewDomainEvent[]): InlineProjection[] | undefined {
    if (this.projections.length === 0) return undefined;
    const found = this.projections.filter(
      (p) => (p.tenantId === undefined || p.tenantId === tenantId) && (!p.eventTypes || events.some((e) => p.eventTypes!.has(e.eventType))),
    );
    return found.length ? found : undefined;
  }

  /**
   * Appends and applies the new events to the projections in one transaction.
   * @param toEvents maps the append's rows to the events projections see (payloads, upcasting)
   * @returns the append's rows, as the group commit path returns them
   * @throws whatever the append or a projection throws; nothing is then stored
   */
  append(
    prepared: PreparedAppend,
    projections: InlineProjection[],
    toEvents: (rows: EventRow[]) => StoredDomainEvent[],
  ): Promise<EventRow[]> {
    return this.database.runInTenantAsLogin(
      prepared.tenantId,
      async (runner) => {
        const rows: EventRow[] = await runner.query(APPEND_EVENTS_SQL, [
          prepared.tenantId,
          prepared.eventsJson,
          prepared.expectedJson,
          prepared.retry,
        ]);
        const [{ xid }] = (await runner.query(OWN_TRANSACTION_SQL)) as { xid: string | null }[];
        if (xid === null) return rows;
        const events = toEvents(rows.filter((row) => String(row.transaction_id) === xid));
        const tx = toCheckpointTransaction(runner);
        for (const event of events) {
          for (const projection of projections) {
            if (projection.eventTypes && !projection.eventTypes.has(event.eventType)) continue;
            await applyOne(projection, event, tx);
          }
        }
        return rows;
      },
      'appendEvents',
    );
  }
}

/** A lost connection stays what it is (StoreUnavailableError, connection dropped); anything else names the projection. */
async function applyOne(projection: InlineProjection, event: StoredDomainEvent, tx: ProjectionTransaction): Promise<void> {
  try {
    await projection.handler.apply(event, tx);
  } catch (error) {
    if (isConnectionError(error)) throw error;
    throw new InlineProjectionError(projection.name, event.eventId, error);
  }
}
