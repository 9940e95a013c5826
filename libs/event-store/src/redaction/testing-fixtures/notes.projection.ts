import { Injectable } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { EventProjection } from '../../projections/event-projection.decorator';
import { ProjectionHandler, ProjectionTransaction } from '../../projections/projection-handler';
import { EventsRedacted } from '../../types/redaction';
import { StoredDomainEvent } from '../../types/stored-domain-event';

/** Read-model tables of the notes projection. */
export class CreateTestNotes1764100000501 implements MigrationInterface {
  name = 'CreateTestNotes1764100000501';
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE test_notes (tenant_id text NOT NULL, event_id uuid NOT NULL, note text NOT NULL, PRIMARY KEY (tenant_id, event_id))`,
    );
    // One row per redaction handled: a second application would violate the key.
    await q.query(`CREATE TABLE test_notes_redactions (marker_event_id uuid PRIMARY KEY, events integer NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE test_notes_redactions`);
    await q.query(`DROP TABLE test_notes`);
  }
}

/** Tenant whose notes the fixture projects. */
export const NOTES_TENANT = 'projected';

/** Copies each note (personal data) into a table, and deletes it when its event is redacted. */
@Injectable()
@EventProjection({ name: 'test-notes', tenantId: NOTES_TENANT, eventTypes: ['NoteTaken'] })
export class NotesProjection implements ProjectionHandler {
  async apply(event: StoredDomainEvent, tx: ProjectionTransaction): Promise<void> {
    if (event.isRedacted) return;
    await tx.query(`INSERT INTO test_notes (tenant_id, event_id, note) VALUES ($1, $2, $3)`, [
      event.tenantId,
      event.eventId,
      String(event.data.note),
    ]);
  }

  async onRedacted(redaction: EventsRedacted, tx: ProjectionTransaction): Promise<void> {
    await tx.query(`DELETE FROM test_notes WHERE tenant_id = $1 AND event_id = ANY($2::uuid[])`, [
      redaction.tenantId,
      redaction.events.map((e) => e.eventId),
    ]);
    await tx.query(`INSERT INTO test_notes_redactions (marker_event_id, events) VALUES ($1, $2)`, [
      redaction.markerEventId,
      redaction.events.length,
    ]);
  }

  async reset(tx: ProjectionTransaction): Promise<void> {
    await tx.query(`DELETE FROM test_notes`);
    await tx.query(`DELETE FROM test_notes_redactions`);
  }
}
