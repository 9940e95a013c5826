import { Injectable } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { StoredDomainEvent } from '../../types/stored-domain-event';
import { EventProjection } from '../event-projection.decorator';
import { ProjectionHandler, ProjectionTransaction } from '../projection-handler';

/** Read-model tables of the test projection, shipped as an application migration. */
export class CreateStatusBoard1763900100000 implements MigrationInterface {
  name = 'CreateStatusBoard1763900100000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE test_status_board (
      tenant_id text NOT NULL, aggregate_id text NOT NULL, status text NOT NULL, events integer NOT NULL, last_position bigint NOT NULL,
      PRIMARY KEY (tenant_id, aggregate_id))`);
    // One row per applied event: a second application would violate the key; owner shows who applied it.
    await q.query(
      `CREATE TABLE test_status_log (global_position bigint PRIMARY KEY, owner text NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE test_status_log`);
    await q.query(`DROP TABLE test_status_board`);
  }
}

/** Who applies events in this process (set by the multi-process fixture). */
export const projectionOwner = { id: `pid-${process.pid}`, failOn: new Set<string>(), delayMs: 0 };

/** A requirement status board: last status per requirement, and how many events built it. */
@Injectable()
@EventProjection({
  name: 'requirement-status-board',
  eventTypes: ['RequirementCreated', 'RequirementApproved', 'RequirementRejected'],
  batchSize: 25,
})
export class StatusBoardProjection implements ProjectionHandler {
  async apply(event: StoredDomainEvent, tx: ProjectionTransaction): Promise<void> {
    if (projectionOwner.delayMs) await new Promise((r) => setTimeout(r, projectionOwner.delayMs));
    if (projectionOwner.failOn.has(event.aggregateId)) throw new Error(`cannot project ${event.aggregateId}`);
    const status = event.eventType.replace('Requirement', '').toLowerCase();
    await tx.query(
      `INSERT INTO test_status_board (tenant_id, aggregate_id, status, events, last_position) VALUES ($1, $2, $3, 1, $4)
       ON CONFLICT (tenant_id, aggregate_id) DO UPDATE SET status = EXCLUDED.status, events = test_status_board.events + 1, last_position = EXCLUDED.last_position`,
      [event.tenantId, event.aggregateId, status, event.globalPosition],
    );
    await tx.query(`INSERT INTO test_status_log (global_position, owner) VALUES ($1, $2)`, [event.globalPosition, projectionOwner.id]);
  }

  async reset(tx: ProjectionTransaction): Promise<void> {
    await tx.query(`DELETE FROM test_status_board`);
    await tx.query(`DELETE FROM test_status_log`);
  }
}
