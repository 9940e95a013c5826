import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One GDPR redaction: which event, why, by whom, which metadata keys went. */
@Entity({ name: 'event_store_redactions' })
export class RedactionLogEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'global_position', type: 'bigint' })
  globalPosition!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'requested_by', type: 'text' })
  requestedBy!: string;

  @Column({ name: 'removed_metadata_keys', type: 'text', array: true })
  removedMetadataKeys!: string[];

  @Column({ name: 'redacted_at', type: 'timestamptz' })
  redactedAt!: Date;
}
