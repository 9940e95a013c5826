import { Injectable } from '@nestjs/common';
import { EventProjection, EventsRedacted, ProjectionHandler, ProjectionTransaction, StoredDomainEvent } from '@nest-event-store/core';
import { In, LessThan } from 'typeorm';
import { REQUIREMENT_EVENT_TYPES } from '../domain/requirement.events';
import { RequirementStatusBoardEntity as Row } from './requirement-status-board.entity';

// Events whose payload the board copies personal data from (the title).
const TITLE_EVENTS = new Set(['RequirementCreated', 'RequirementUpdated']);

/** Stable name of the projection (keys its checkpoint). */
export const REQUIREMENT_STATUS_BOARD = 'requirement-status-board';

/**
 * Keeps `requirement_status_board`: one row per requirement with its status,
 * for every tenant, written through the entity's repository in the
 * projection's transaction (`tx.manager`). Events arrive upcast, in the
 * store's order, once per event (the read model and the checkpoint share a
 * transaction); the version guards make a replayed event harmless anyway.
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
    const board = tx.manager.getRepository(Row);
    const version = event.aggregateVersion;
    const updatedAt = new Date(event.occurredAt);
    // pk (tenant_id, requirement_id); a row already there (a replay) is left alone.
    if (event.eventType === 'RequirementCreated') {
      const row = { tenantId: event.tenantId, requirementId: event.aggregateId, title: text(event.data.title) ?? '' };
      await board
        .createQueryBuilder()
        .insert()
        .values({ ...row, priority: text(event.data.priority), status: 'DRAFT', version, updatedAt })
        .orIgnore()
        .execute();
      return;
    }
    const changes = this.changesOf(event);
    // pk (tenant_id, requirement_id); only a newer version changes the row.
    if (changes)
      await board.update(
        { tenantId: event.tenantId, requirementId: event.aggregateId, version: LessThan(version) },
        { ...changes, version, updatedAt },
      );
  }

  async onRedacted(redaction: EventsRedacted, tx: ProjectionTransaction): Promise<void> {
    const ids = redaction.events
      .filter((e) => e.aggregateType === 'Requirement' && TITLE_EVENTS.has(e.eventType))
      .map((e) => e.aggregateId);
    // pk (tenant_id, requirement_id). GDPR: the title came from a redacted event,
    // so it goes; status, priority and version are not personal and stay.
    if (ids.length)
      await tx.manager.getRepository(Row).update({ tenantId: redaction.tenantId, requirementId: In([...new Set(ids)]) }, { title: '' });
  }

  async reset(tx: ProjectionTransaction): Promise<void> {
    await tx.manager.getRepository(Row).createQueryBuilder().delete().execute();
  }

  /** The fields an event other than RequirementCreated changes, or undefined for none. */
  private changesOf(event: StoredDomainEvent): Partial<Row> | undefined {
    switch (event.eventType) {
      case 'RequirementUpdated': {
        const title = text(event.data.title);
        const priority = text(event.data.priority);
        return { ...(title === null ? {} : { title }), ...(priority === null ? {} : { priority }) };
      }
      case 'RequirementApproved':
        return { status: 'APPROVED' };
      case 'RequirementRejected':
        return { status: 'REJECTED' };
      default:
        return undefined;
    }
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
