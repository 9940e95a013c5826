import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row of the status board read model (table from
 * CreateRequirementStatusBoard1764100000000; the schema changes only through
 * migrations, never `synchronize`). Tenancy is a column leading the key:
 * every read filters on it, the table has no row-level security.
 */
@Entity({ name: 'requirement_status_board' })
@Index('ix_requirement_status_board_tenant_updated', ['tenantId', 'updatedAt'])
export class RequirementStatusBoardEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'requirement_id', type: 'text' })
  requirementId!: string;

  /** Blank once an event that set it was redacted (GDPR). */
  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', nullable: true })
  priority!: string | null;

  /** DRAFT, APPROVED or REJECTED. */
  @Column({ type: 'text' })
  status!: string;

  /** The requirement's version the row reflects; older events never overwrite a newer state. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
