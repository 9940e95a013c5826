import { Injectable } from '@nestjs/common';
import { EventProjection, EventsRedacted, ProjectionHandler, ProjectionTransaction, StoredDomainEvent } from '@nest-event-store/core';
import { REQUIREMENT_EVENT_TYPES } from '../domain/requirement.events';
import { BLANK_TITLES_SQL, RESET_SQL, UPDATE_FIELDS_SQL, UPDATE_STATUS_SQL, UPSERT_CREATED_SQL } from './requirement-status-board.sql';

// Events whose payload the board copies personal data from (the title).
const TITLE_EVENTS = new Set(['RequirementCreated', 'RequirementUpdated']);

/** Stable name of the projection (keys its checkpoint). */
export const REQUIREMENT_STATUS_BOARD = 'requirement-status-board';

/**
 * Keeps `requirement_status_board`: one row per requirement with its status,
 * for every tenant. Events arrive upcast, in the store's order, once per
 * event (the read model and the checkpoint share a transaction); the version
 * guards in the SQL make a replayed event harmless anyway.
 *
 * GDPR: a title is free text and may name a person. When an event that set
 * it is redacted, `onRedacted` blanks the title (a later replay sees the
 * event redacted and never copies it). Status, priority and version stay.
 */
@Injectable()
@EventProjection({ name: REQUIREMENT_STATUS_BOARD, eventTypes: REQUIREMENT_EVENT_TYPES })
export class RequirementStatusBoardProjection implements ProjectionHandler {
  async apply(event: StoredDomainEvent, tx: ProjectionTransaction): Promise<void> {
    // Raw appends can use these event types on other streams: only Requirements count.
    if (event.aggregateType !== 'Requirement' || event.isRedacted) return;
    const key = [event.tenantId, event.aggregateId];
    const data = event.data;
    switch (event.eventType) {
      case 'RequirementCreated':
        await tx.query(UPSERT_CREATED_SQL, [...key, text(data.title) ?? '', text(data.priority), event.aggregateVersion, event.occurredAt]);
        return;
      case 'RequirementUpdated':
        await tx.query(UPDATE_FIELDS_SQL, [...key, text(data.title), text(data.priority), event.aggregateVersion, event.occurredAt]);
        return;
      case 'RequirementApproved':
        await tx.query(UPDATE_STATUS_SQL, [...key, 'APPROVED', event.aggregateVersion, event.occurredAt]);
        return;
      case 'RequirementRejected':
        await tx.query(UPDATE_STATUS_SQL, [...key, 'REJECTED', event.aggregateVersion, event.occurredAt]);
        return;
    }
  }

  async onRedacted(redaction: EventsRedacted, tx: ProjectionTransaction): Promise<void> {
    const ids = redaction.events
      .filter((e) => e.aggregateType === 'Requirement' && TITLE_EVENTS.has(e.eventType))
      .map((e) => e.aggregateId);
    if (ids.length) await tx.query(BLANK_TITLES_SQL, [redaction.tenantId, [...new Set(ids)]]);
  }

  async reset(tx: ProjectionTransaction): Promise<void> {
    await tx.query(RESET_SQL);
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
