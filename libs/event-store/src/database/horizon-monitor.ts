import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventStoreDatabase } from './event-store-database';
import { CAN_READ_ALL_STATS_SQL, HORIZON_HOLDER_SQL, OWN_XID_VISIBLE_SQL } from './horizon-monitor.sql';

/** The transaction of this database that readers of the global order are waiting for. */
export interface HorizonHolder {
  /** Its transaction id (xid8, as text). */
  transactionId: string;
  /** Server process id; null for a prepared transaction or an owner the server does not show. */
  pid: number | null;
  /** application_name of the session, when known. */
  applicationName: string | null;
  /** 'client backend', 'autovacuum worker', …, 'prepared' for a prepared transaction, null when unknown. */
  kind: string | null;
  /** When the transaction began (pg_stat_activity.xact_start); null unless readable (pg_read_all_stats). */
  startedAt: Date | null;
  /** Seconds it has been open: from startedAt when readable, otherwise since this process first saw it hold the horizon. */
  ageSeconds: number;
  /** Whether ageSeconds comes from startedAt (true) or from this process's first sighting (a lower bound). */
  ageExact: boolean;
  /** The first statement of it this process saw (pg_stat_activity.query), where readable. */
  firstStatement: string | null;
  /** The session's latest statement and state, where readable. */
  statement: string | null;
  state: string | null;
  /** Global id of a prepared transaction. */
  gid: string | null;
}

/** How far readers of the global order are held back. */
export interface HorizonLag {
  /** Age in seconds of the transaction holding the horizon; 0 when nothing does. */
  lagSeconds: number;
  /** lagSeconds is above the `horizonWarningSeconds` option. */
  stalled: boolean;
  /** The `horizonWarningSeconds` option. */
  thresholdSeconds: number;
  holder: HorizonHolder | null;
}

interface HolderRow {
  horizon: string;
  held: boolean;
  pid: number | null;
  application_name: string | null;
  backend_type: string | null;
  state: string | null;
  query: string | null;
  xact_start: Date | null;
  xact_age: number | null;
  gid: string | null;
  prepared: Date | null;
  prepared_age: number | null;
}

const READABLE = (query: string | null) => (query === null || query === '<insufficient privilege>' ? null : query);
const STATEMENT_LOG_LIMIT = 200;

/**
 * Watches the gap-safe read horizon: which transaction of this database
 * readers are waiting for, and for how long. A periodic check
 * (`horizonCheckIntervalMs`) logs a warning once per transaction that holds
 * readers back longer than `horizonWarningSeconds`; `getHorizonLag` answers
 * health checks and metrics. At startup it checks what the login can see.
 */
@Injectable()
export class HorizonMonitor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EventStore:horizon');
  private timer?: NodeJS.Timeout;
  /** Holders seen by this process: first sighting and first statement, by transaction id. */
  private seen = new Map<string, { at: number; statement: string | null; warned: boolean }>();

  constructor(private readonly database: EventStoreDatabase) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.checkVisibility().catch((error) =>
      this.logger.warn(`Could not check the read horizon's scope: ${(error as Error).message}`),
    );
    const every = this.database.options.horizonCheckIntervalMs;
    if (every > 0) this.schedule(every);
  }

  beforeApplicationShutdown(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * The transaction of this database holding readers back, and for how long.
   * @throws StoreUnavailableError when the database is unreachable
   */
  async getHorizonLag(): Promise<HorizonLag> {
    const [row] = await this.database.query<HolderRow>(HORIZON_HOLDER_SQL, [], 'getHorizonLag');
    const thresholdSeconds = this.database.options.horizonWarningSeconds;
    if (!row.held) {
      this.seen.clear();
      return { lagSeconds: 0, stalled: false, thresholdSeconds, holder: null };
    }
    const holder = this.describe(row);
    return { lagSeconds: holder.ageSeconds, stalled: holder.ageSeconds > thresholdSeconds, thresholdSeconds, holder };
  }

  private describe(row: HolderRow): HorizonHolder {
    const statement = READABLE(row.query);
    let sighting = this.seen.get(row.horizon);
    if (!sighting) {
      // Only the current holder is remembered: the map stays one entry long.
      this.seen = new Map([[row.horizon, (sighting = { at: Date.now(), statement, warned: false })]]);
    }
    const exactAge = row.prepared_age ?? row.xact_age;
    return {
      transactionId: row.horizon,
      pid: row.pid,
      applicationName: row.application_name,
      kind: row.gid !== null ? 'prepared' : row.backend_type,
      startedAt: row.prepared ?? row.xact_start,
      ageSeconds: Math.max(0, exactAge ?? (Date.now() - sighting.at) / 1000),
      ageExact: exactAge !== null,
      firstStatement: sighting.statement ?? statement,
      statement,
      state: row.state,
      gid: row.gid,
    };
  }

  private schedule(every: number): void {
    this.timer = setTimeout(async () => {
      await this.check().catch((error) => this.logger.warn(`Read horizon check failed: ${(error as Error).message}`));
      if (this.timer) this.schedule(every);
    }, every);
    this.timer.unref();
  }

  /** One periodic check: warns once per holder that crossed the threshold. */
  async check(): Promise<HorizonLag> {
    const lag = await this.getHorizonLag();
    const holder = lag.holder;
    const sighting = holder && this.seen.get(holder.transactionId);
    if (lag.stalled && holder && sighting && !sighting.warned) {
      sighting.warned = true;
      this.logger.warn(describeStall(holder));
    }
    return lag;
  }

  /**
   * Startup: the horizon is scoped to this database only if pg_stat_activity
   * shows transaction ids (it does for every role on stock PostgreSQL);
   * naming a stuck transaction's age and statement needs pg_read_all_stats.
   */
  private async checkVisibility(): Promise<void> {
    const { visible, canRead } = await this.database.runAsLogin(async (q) => {
      await q.query('SELECT pg_current_xact_id()');
      const [row] = (await q.query(OWN_XID_VISIBLE_SQL)) as { visible: boolean }[];
      const [stats] = (await q.query(CAN_READ_ALL_STATS_SQL)) as { can_read: boolean }[];
      return { visible: row.visible, canRead: stats.can_read };
    }, 'checkHorizonScope');
    if (!visible) {
      this.logger.warn(
        'pg_stat_activity does not show transaction ids to this login: the read horizon falls back to the whole cluster, ' +
          'so a transaction open in any database of the server delays every reader of the event log (decision 0004).',
      );
    }
    if (!canRead) {
      this.logger.warn(
        `The database login lacks pg_read_all_stats (or pg_monitor): a transaction holding readers back is reported ` +
          `without its start time and statement. Grant it with: GRANT pg_read_all_stats TO <login>.`,
      );
    }
  }
}

function describeStall(holder: HorizonHolder): string {
  const statement = holder.firstStatement ?? holder.statement;
  const parts = [
    holder.gid !== null ? `prepared transaction '${holder.gid}'` : `transaction ${holder.transactionId} of pid ${holder.pid ?? 'unknown'}`,
    `open ${holder.ageSeconds.toFixed(1)} s${holder.ageExact ? '' : ' at least'}`,
    `application '${holder.applicationName ?? 'unknown'}'`,
    holder.kind ? `kind ${holder.kind}` : undefined,
    statement ? `statement: ${JSON.stringify(statement.slice(0, STATEMENT_LOG_LIMIT))}` : 'statement not readable',
  ].filter(Boolean);
  return `Readers of the event log are held back by ${parts.join(', ')}. Events committed after it began reach subscribers, projections and queryEvents only when it ends.`;
}
