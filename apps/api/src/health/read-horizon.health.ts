import { Injectable } from '@nestjs/common';
import { EventStoreService } from '@nest-event-store/core';

/**
 * The read horizon as a health entry. `degraded` while a transaction of the
 * database has held readers of the event log (subscribers, projections,
 * GET /api/events pages) back longer than HORIZON_WARNING_SECONDS. The
 * statement text stays in the server log: this endpoint needs no token, and a
 * statement may carry personal data.
 */
export interface ReadHorizonHealth {
  status: 'up' | 'degraded';
  lagSeconds: number;
  thresholdSeconds: number;
  holder?: {
    pid: number | null;
    applicationName: string | null;
    kind: string | null;
    transactionId: string;
    ageSeconds: number;
    /** false: the age is a lower bound (the login cannot read the session's start time). */
    ageExact: boolean;
    startedAt: Date | null;
  };
}

/** Reads the store's horizon lag for /api/health. */
@Injectable()
export class ReadHorizonHealthIndicator {
  constructor(private readonly store: EventStoreService) {}

  /** The entry, or undefined when the database does not answer (the database entry says so). */
  async check(): Promise<ReadHorizonHealth | undefined> {
    const lag = await this.store.getHorizonLag().catch(() => undefined);
    if (!lag) return undefined;
    const health: ReadHorizonHealth = {
      status: lag.stalled ? 'degraded' : 'up',
      lagSeconds: round(lag.lagSeconds),
      thresholdSeconds: lag.thresholdSeconds,
    };
    const h = lag.holder;
    if (h) {
      health.holder = {
        pid: h.pid,
        applicationName: h.applicationName,
        kind: h.kind,
        transactionId: h.transactionId,
        ageSeconds: round(h.ageSeconds),
        ageExact: h.ageExact,
        startedAt: h.startedAt,
      };
    }
    return health;
  }
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
