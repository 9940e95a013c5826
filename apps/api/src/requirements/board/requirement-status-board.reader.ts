import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RequirementStatusBoardEntity } from './requirement-status-board.entity';

/** One row of the status board. */
export interface StatusBoardItem {
  id: string;
  title: string;
  priority: string | null;
  status: string;
  version: number;
  updatedAt: string;
}

/** GET /api/requirements/board. */
export interface RequirementStatusBoard {
  counts: { DRAFT: number; APPROVED: number; REJECTED: number };
  total: number;
  /** Most recently changed first, at most 500. */
  items: StatusBoardItem[];
}

const BOARD_LIMIT = 500;

/** Reads the status board of one tenant from the projection's table, through the app's DataSource. */
@Injectable()
export class RequirementStatusBoardReader {
  constructor(@InjectRepository(RequirementStatusBoardEntity) private readonly board: Repository<RequirementStatusBoardEntity>) {}

  /** The board of `tenantId` (every query filters on it: the table has no row-level security). */
  async read(tenantId: string): Promise<RequirementStatusBoard> {
    // pk (tenant_id, …)
    const counted = await this.board
      .createQueryBuilder('b')
      .select('b.status', 'status')
      .addSelect('count(*)::integer', 'n')
      .where('b.tenantId = :tenantId', { tenantId })
      .groupBy('b.status')
      .getRawMany<{ status: string; n: number }>();
    // ix_requirement_status_board_tenant_updated
    const rows = await this.board.find({ where: { tenantId }, order: { updatedAt: 'DESC', requirementId: 'ASC' }, take: BOARD_LIMIT });
    const counts = { DRAFT: 0, APPROVED: 0, REJECTED: 0 };
    for (const { status, n } of counted) if (status in counts) counts[status as keyof typeof counts] = Number(n);
    return {
      counts,
      total: counts.DRAFT + counts.APPROVED + counts.REJECTED,
      items: rows.map((r) => ({
        id: r.requirementId,
        title: r.title,
        priority: r.priority,
        status: r.status,
        version: Number(r.version),
        updatedAt: new Date(r.updatedAt).toISOString(),
      })),
    };
  }
}
