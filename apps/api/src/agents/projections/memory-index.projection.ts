import { Injectable } from '@nestjs/common';
import { EventProjection, EventsRedacted, ProjectionHandler, ProjectionTransaction, StoredDomainEvent } from '@nest-event-store/core';
import { isAgentEvent } from '../catalogue/agent-event-guards';
import { DELETE_REDACTED_SQL, MARK_RETRIEVED_SQL, MARK_STATUS_SQL, RESET_MEMORY_INDEX_SQL, UPSERT_STORED_SQL } from './memory-index.sql';

/** Stable name of the projection (keys its checkpoint). */
export const MEMORY_INDEX = 'memory-index';

/** Statuses of a memory entry. */
export const MEMORY_STATUSES = ['active', 'deleted', 'expired'] as const;

/**
 * MemoryIndex: what each namespace remembers. One row per (namespace, key):
 * status, who stored it, tags, size of the value (never the value itself),
 * time to live, writes and reads. The namespace is the `Memory` stream's id.
 * GDPR: a key may name a person; redacting the MemoryStored that wrote an
 * entry removes the entry. Redact every event that carries the key (an
 * erasure by subject does): an older MemoryStored left unredacted would bring
 * the key back on a rebuild.
 */
@Injectable()
@EventProjection({ name: MEMORY_INDEX, eventTypes: ['MemoryStored', 'MemoryRetrieved', 'MemoryDeleted', 'MemoryExpired'] })
export class MemoryIndexProjection implements ProjectionHandler {
  async apply(event: StoredDomainEvent, tx: ProjectionTransaction): Promise<void> {
    if (event.aggregateType !== 'Memory') return;
    const at = event.occurredAt;
    if (isAgentEvent(event, 'MemoryStored')) {
      const d = event.data;
      await tx.query(UPSERT_STORED_SQL, [
        event.tenantId,
        event.aggregateId,
        d.key,
        d.agentId ?? null,
        JSON.stringify(d.tags ?? []),
        Buffer.byteLength(JSON.stringify(d.value)),
        d.ttlSeconds ?? null,
        event.eventId,
        at,
      ]);
    } else if (isAgentEvent(event, 'MemoryRetrieved')) {
      await tx.query(MARK_RETRIEVED_SQL, [event.tenantId, event.aggregateId, event.data.key, at]);
    } else if (isAgentEvent(event, 'MemoryDeleted', 'MemoryExpired')) {
      const status = event.eventType === 'MemoryDeleted' ? 'deleted' : 'expired';
      await tx.query(MARK_STATUS_SQL, [event.tenantId, event.aggregateId, event.data.key, status, at]);
    }
  }

  async onRedacted(redaction: EventsRedacted, tx: ProjectionTransaction): Promise<void> {
    const ids = redaction.events.filter((e) => e.aggregateType === 'Memory' && e.eventType === 'MemoryStored').map((e) => e.eventId);
    if (ids.length) await tx.query(DELETE_REDACTED_SQL, [redaction.tenantId, ids]);
  }

  async reset(tx: ProjectionTransaction): Promise<void> {
    await tx.query(RESET_MEMORY_INDEX_SQL);
  }
}
