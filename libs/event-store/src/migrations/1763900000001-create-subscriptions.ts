import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable delivery: subscription checkpoints with a lease (one owner process
 * at a time) and the dead-letter table. Wake-ups across processes are not a
 * trigger here: a NOTIFY inside the append transaction would take the
 * cluster-wide notification lock at every commit and serialize all appends.
 * The store sends one throttled NOTIFY after commits instead (AppendSignal).
 *
 * These tables are not tenant data: they belong to the connecting user (who
 * also owns the read-model tables of projections), so no row-level security.
 */
export class CreateSubscriptions1763900000001 implements MigrationInterface {
  name = 'CreateSubscriptions1763900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}

const UP = [
  `CREATE TABLE event_store_subscriptions (
     name                text        NOT NULL,
     kind                text        NOT NULL CHECK (kind IN ('subscriber', 'projection')),
     -- position in the gap-safe order (transaction_id, global_position) of the last event handled
     checkpoint_xid      xid8        NOT NULL DEFAULT '0',
     checkpoint_position bigint      NOT NULL DEFAULT 0,
     -- lease: the one process allowed to deliver; taken over once lease_until has passed
     owner               text,
     lease_until         timestamptz,
     created_at          timestamptz NOT NULL DEFAULT now(),
     updated_at          timestamptz NOT NULL DEFAULT now(),
     -- lease acquire/renew, fenced checkpoint compare-and-set
     CONSTRAINT pk_event_store_subscriptions PRIMARY KEY (name)
   )`,

  `CREATE TABLE event_store_dead_letters (
     id                bigint GENERATED ALWAYS AS IDENTITY,
     subscription_name text        NOT NULL,
     global_position   bigint      NOT NULL,
     transaction_id    xid8        NOT NULL,
     event_id          uuid        NOT NULL,
     tenant_id         text        NOT NULL,
     event_type        text        NOT NULL,
     error             text        NOT NULL,
     attempts          integer     NOT NULL CHECK (attempts >= 1),
     parked_at         timestamptz NOT NULL DEFAULT now(),
     CONSTRAINT pk_event_store_dead_letters PRIMARY KEY (id),
     -- listDeadLetters(name) in event order; one parked row per event and subscription
     CONSTRAINT uq_event_store_dead_letters UNIQUE (subscription_name, global_position)
   )`,
];

const DOWN = [`DROP TABLE IF EXISTS event_store_dead_letters`, `DROP TABLE IF EXISTS event_store_subscriptions`];
