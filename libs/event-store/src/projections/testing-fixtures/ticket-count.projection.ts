import { Injectable } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { StoredDomainEvent } from '../../types/stored-domain-event';
import { EventProjection } from '../event-projection.decorator';
import { ProjectionHandler, ProjectionTransaction } from '../projection-handler';

/** Read-model tables of the inline and async test projections. */
export class CreateTicketReadModels1763900200000 implements MigrationInterface {
  name = 'CreateTicketReadModels1763900200000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE test_open_tickets (tenant_id text NOT NULL, ticket_id text NOT NULL, title text NOT NULL, PRIMARY KEY (tenant_id, ticket_id))`,
    );
    await q.query(`CREATE TABLE test_ticket_log (global_position bigint PRIMARY KEY, event_type text NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE test_ticket_log`);
    await q.query(`DROP TABLE test_open_tickets`);
  }
}

/** Open tickets, written in the append's transaction; refuses an event whose data asks it to fail. */
@Injectable()
@EventProjection({ name: 'open-tickets', eventTypes: ['TicketOpened', 'TicketClosed'], mode: 'inline' })
export class OpenTicketsProjection implements ProjectionHandler {
  async apply(event: StoredDomainEvent, tx: ProjectionTransaction): Promise<void> {
    if (event.data.fail === true) throw new Error(`refusing ${event.aggregateId}`);
    if (event.eventType === 'TicketOpened') {
      await tx.query(`INSERT INTO test_open_tickets (tenant_id, ticket_id, title) VALUES ($1, $2, $3)`, [
        event.tenantId,
        event.aggregateId,
        String(event.data.title),
      ]);
    } else {
      await tx.query(`DELETE FROM test_open_tickets WHERE tenant_id = $1 AND ticket_id = $2`, [event.tenantId, event.aggregateId]);
    }
  }

  async reset(tx: ProjectionTransaction): Promise<void> {
    await tx.query(`DELETE FROM test_open_tickets`);
  }
}

/** Every ticket event, delivered after the append by a durable subscription (the default mode). */
@Injectable()
@EventProjection({ name: 'ticket-log', eventTypes: ['TicketOpened', 'TicketCommented', 'TicketClosed'] })
export class TicketLogProjection implements ProjectionHandler {
  async apply(event: StoredDomainEvent, tx: ProjectionTransaction): Promise<void> {
    await tx.query(`INSERT INTO test_ticket_log (global_position, event_type) VALUES ($1, $2)`, [event.globalPosition, event.eventType]);
  }

  async reset(tx: ProjectionTransaction): Promise<void> {
    await tx.query(`DELETE FROM test_ticket_log`);
  }
}

/** An inline projection that asks for redactions, which inline mode does not deliver yet. */
@Injectable()
@EventProjection({ name: 'inline-with-redactions', mode: 'inline' })
export class InlineRedactionProjection implements ProjectionHandler {
  async apply(): Promise<void> {}
  async reset(): Promise<void> {}
  async onRedacted(): Promise<void> {}
}
