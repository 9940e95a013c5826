import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A snapshot of an aggregate's state at one version. */
@Entity({ name: 'event_store_snapshots' })
export class SnapshotEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'aggregate_id', type: 'text' })
  aggregateId!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ name: 'aggregate_type', type: 'text' })
  aggregateType!: string;

  @Column({ name: 'schema_version', type: 'integer' })
  schemaVersion!: number;

  @Column({ type: 'jsonb' })
  state!: unknown;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
