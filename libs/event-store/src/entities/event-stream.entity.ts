import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One stream per (tenant, aggregate id): its type and current version. */
@Entity({ name: 'event_store_streams' })
export class EventStreamEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'aggregate_id', type: 'text' })
  aggregateId!: string;

  @Column({ name: 'aggregate_type', type: 'text' })
  aggregateType!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
