import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Schema description of `stored_domain_events` (created by the migrations,
 * never by `synchronize`). Hot paths use SQL; this entity serves plain reads.
 */
@Entity({ name: 'stored_domain_events' })
export class StoredDomainEventEntity {
  /** bigint identity, returned as a string by the driver. */
  @PrimaryColumn({ name: 'global_position', type: 'bigint' })
  globalPosition!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'aggregate_type', type: 'text' })
  aggregateType!: string;

  @Column({ name: 'aggregate_id', type: 'text' })
  aggregateId!: string;

  @Column({ name: 'aggregate_version', type: 'integer' })
  aggregateVersion!: number;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ name: 'event_version', type: 'integer' })
  eventVersion!: number;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'stored_at', type: 'timestamptz' })
  storedAt!: Date;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  metadata!: Record<string, unknown>;

  /** xid8 of the appending transaction, as a string. */
  @Column({ name: 'transaction_id', type: 'text', insert: false, update: false })
  transactionId!: string;

  @Column({ name: 'is_redacted', type: 'boolean' })
  isRedacted!: boolean;

  @Column({ name: 'redacted_at', type: 'timestamptz', nullable: true })
  redactedAt!: Date | null;
}
