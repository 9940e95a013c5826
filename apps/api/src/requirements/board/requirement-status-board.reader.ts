import { Injectable } from '@nestjs/common';
import { EventStoreDatabase } from '@nest-event-store/core';
import { COUNT_BY_STATUS_SQL, READ_BOARD_SQL } from './requirement-status-board.sql';

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

/** Reads the status board of one tenant from the projection's table. */
@Injectable()
export class RequirementStatusBoardReader {
  constructor(private readonly database: EventStoreDatabase) {}

  /** The board of `tenantId` (every query filters on it: the table has no row-level security). */
  async read(tenantId: string): Promise<RequirementStatusBoard> {
    const counted = await this.database.query<{ status: string; n: number }>(COUNT_BY_STATUS_SQL, [tenantId], 'requirementStatusBoard');
    const rows = await this.database.query<{
      requirement_id: string;
      title: string;
      priority: string | null;
      status: string;
      version: number;
      updated_at: Date;
    }>(READ_BOARD_SQL, [tenantId, BOARD_LIMIT], 'requirementStatusBoard');
    const counts = { DRAFT: 0, APPROVED: 0, REJECTED: 0 };
    for (const { status, n } of counted) if (status in counts) counts[status as keyof typeof counts] = Number(n);
    return {
      counts,
      total: counts.DRAFT + counts.APPROVED + counts.REJECTED,
      items: rows.map((r) => ({
        id: r.requirement_id,
        title: r.title,
        priority: r.priority,
        status: r.status,
        version: Number(r.version),
        updatedAt: new Date(r.updated_at).toISOString(),
      })),
    };
  }
}
