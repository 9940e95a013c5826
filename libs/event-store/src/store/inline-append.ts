import { NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';
import { PreparedAppend } from './append-events';
import { EventRow } from './event-row';

/**
 * What the append path needs from work that must commit in the append's own
 * transaction (inline projections, decision 0027). The store declares it and
 * imports nothing of who does the work: `InlineProjections` (projections/)
 * implements it, and the core module provides it under INLINE_APPEND.
 * @typeParam M what `matching` found, handed back to `append`
 */
export interface InlineAppend<M = unknown> {
  /** The work this append needs, or undefined when none (the append then keeps the group commit path). */
  matching(tenantId: string, events: readonly NewDomainEvent[]): M | undefined;

  /**
   * Appends and does the work in one transaction.
   * @param toEvents maps the append's rows to the events the work sees (payloads, upcasting)
   * @returns the append's rows, as the group commit path returns them
   * @throws whatever the append or the work throws; nothing is then stored
   */
  append(prepared: PreparedAppend, match: M, toEvents: (rows: EventRow[]) => StoredDomainEvent[]): Promise<EventRow[]>;
}

/** Injection token of the store's InlineAppend (optional: without it every append takes the group commit path). */
export const INLINE_APPEND = Symbol('EventStore.InlineAppend');
