import { EventStoreDatabase } from '../database/event-store-database';
import { ConcurrencyError } from '../errors/concurrency.error';
import { DuplicateEventError } from '../errors/duplicate-event.error';
import { AppendOptions } from '../types/append-options';
import { NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';
import { EventMigrationHandler } from '../upcasting/event-migration.handler';
import { AppendCommitter } from './append-committer';
import { PreparedAppend, prepareAppend, withPayloads } from './append-events';
import { AppendSignal } from './append-signal';
import { DeclaredEventTypes } from './declared-event-types';
import { EventRow, toStoredEvent } from './event-row';
import { toEvents } from './event-reader';
import { InlineAppend } from './inline-append';

/**
 * The append side of EventStoreService: checks a batch (envelope, declared
 * event types, payload schemas), commits it through the group commit
 * (AppendCommitter), or in a transaction of its own when inline work
 * (InlineAppend) handles one of its events, settles a concurrent identical
 * retry, and fires the appended signal. The service documents the behaviour;
 * this class only does it.
 */
export class EventAppender {
  /** The event types registered aggregate types accept (EventStoreService.declareEventTypes). */
  readonly declaredEventTypes = new DeclaredEventTypes();
  private readonly committer: AppendCommitter;
  private readonly eventTypesOf = (aggregateType: string): ReadonlySet<string> | undefined => this.declaredEventTypes.of(aggregateType);

  constructor(
    private readonly database: EventStoreDatabase,
    private readonly migrations: EventMigrationHandler,
    private readonly appended: AppendSignal,
    private readonly inline?: InlineAppend,
  ) {
    const { appendConcurrency, maxAppendsPerTransaction, maxEventsPerAppend } = database.options;
    this.committer = new AppendCommitter(database, {
      concurrency: appendConcurrency,
      maxAppends: maxAppendsPerTransaction,
      maxEvents: maxEventsPerAppend,
    });
  }

  /** EventStoreService.appendEvents. */
  async append(events: NewDomainEvent[], tenantId: string, options?: AppendOptions): Promise<StoredDomainEvent[]> {
    const prepared = prepareAppend(events, tenantId, options, this.database.options, this.eventTypesOf);
    // Payload schemas (async class-validator) after the envelope checks, before anything is sent.
    await this.migrations.validatePayloads(events);
    try {
      return (await this.run(prepared, events)).map(toStoredEvent);
    } catch (error) {
      // Caller ids are written as a fresh append first (decision 0029). One
      // of them stored already may mean a retry of an append that committed:
      // the unique index refused it, or, after a conflict, a lookup finds it
      // (one probe, no stream lock; usually none is stored and the conflict
      // stands). Sent again, the ids are looked up first, and that answer is
      // the caller's: the stored events, or why the ids cannot be reused.
      if (
        prepared.clientIds &&
        (error instanceof DuplicateEventError || (error instanceof ConcurrencyError && (await this.committer.anyStored(prepared))))
      )
        return (await this.run({ ...prepared, retry: true }, events)).map(toStoredEvent);
      throw error;
    }
  }

  private async run(prepared: PreparedAppend, events: readonly NewDomainEvent[]): Promise<EventRow[]> {
    // Inline work needs the append in a transaction of its own; every other append keeps group commit.
    const inline = this.inline?.matching(prepared.tenantId, events);
    const rows =
      inline !== undefined
        ? await this.inline!.append(prepared, inline, (fresh) => toEvents(this.migrations, withPayloads(fresh, prepared)))
        : await this.committer.commit(prepared);
    this.appended.fire();
    return withPayloads(rows, prepared);
  }
}
