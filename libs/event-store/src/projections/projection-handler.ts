import { CheckpointTransaction } from '../subscriptions/checkpoint-transaction';
import { EventsRedacted } from '../types/redaction';
import { StoredDomainEvent } from '../types/stored-domain-event';

/**
 * The transaction a projection writes its read model in. It is the same
 * transaction that advances the projection's checkpoint, so each event
 * changes the read model exactly once. It runs as the connecting user (the
 * owner of the read-model tables). Use only this transaction inside
 * `apply`/`reset`: on embedded PGlite, which runs one transaction at a time,
 * waiting on another connection would deadlock.
 */
export type ProjectionTransaction = CheckpointTransaction;

/**
 * A read model kept from the event log. `apply` must be deterministic given
 * the read model and the event; `reset` empties the read model for a rebuild.
 */
export interface ProjectionHandler {
  apply(event: StoredDomainEvent, tx: ProjectionTransaction): Promise<void>;
  reset(tx: ProjectionTransaction): Promise<void>;
  /**
   * GDPR: these events were redacted. Called exactly once per redaction, in
   * the global order (after the events it names were applied), in the same
   * transaction as the checkpoint move. A read model that holds personal
   * data derived from an event must remove it here: delete the rows, blank
   * the fields, or recompute them from events that are not redacted. Events
   * arriving later are already redacted (`isRedacted`, data `{ redacted: true }`),
   * and so is a rebuild's replay. Without this method the projection never
   * sees redactions, and its read model keeps what it copied: implement it
   * whenever the read model stores anything from `data` or personal metadata.
   */
  onRedacted?(redaction: EventsRedacted, tx: ProjectionTransaction): Promise<void>;
}
