import { EventStoreDatabase } from '../database/event-store-database';
import { translateDriverError } from '../database/driver-errors';
import { StoreUnavailableError } from '../errors/store-unavailable.error';
import { APPEND_EACH_SQL, APPEND_EVENTS_SQL, APPEND_GROUP_SQL, COUNT_STORED_SQL } from './append-events.sql';
import { PreparedAppend } from './append-events';
import { EventRow } from './event-row';

/** Limits of group commit. */
export interface GroupCommitLimits {
  /** Append transactions in flight at once. */
  concurrency: number;
  /** Most appends sharing one transaction. */
  maxAppends: number;
  /** Most events in one shared transaction (a single larger append still goes alone). */
  maxEvents: number;
}

interface Waiting {
  prepared: PreparedAppend;
  resolve(rows: EventRow[]): void;
  reject(error: unknown): void;
}

type GroupRow = EventRow & {
  append_index: number;
  error_code: string | null;
  error_message: string | null;
  error_detail: string | null;
  error_constraint: string | null;
};

// A deadlock between two shared transactions (each locked a stream the other
// needs); PostgreSQL aborts one append's subtransaction, which then runs alone.
const DEADLOCK = '40P01';

/**
 * Sends appends to the database with group commit. While fewer than
 * `concurrency` append transactions are in flight, an append goes alone, as
 * one statement. Appends that arrive while all are busy wait, and the next
 * free slot sends every waiting append (up to the limits) in one transaction:
 * one round trip and one commit (one WAL flush) for all of them. Each still
 * succeeds or fails alone, with its own concurrency check and error: the
 * group function decides every append in order and writes only the accepted
 * ones (see sql/event-store-append-group.sql.ts). Nothing waits
 * on a timer: under light load each append is sent at once.
 */
export class AppendCommitter {
  private readonly waiting: Waiting[] = [];
  /** Statements in flight. */
  private inFlight = 0;
  /** Appends in those statements. */
  private appendsInFlight = 0;

  constructor(
    private readonly database: EventStoreDatabase,
    private readonly limits: GroupCommitLimits,
  ) {}

  /** Stores one prepared append; resolves to its rows, or rejects with its own (translated) error. */
  commit(prepared: PreparedAppend): Promise<EventRow[]> {
    if (this.inFlight < this.limits.concurrency && this.waiting.length === 0) {
      this.inFlight++;
      this.appendsInFlight++;
      return this.alone(prepared).finally(() => this.settled(1));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ prepared, resolve, reject });
    });
  }

  /**
   * A statement finished. Its slot is handed on after the current I/O
   * callbacks: the appenders it just answered usually append again at once,
   * and they then join the next group instead of taking the slot alone.
   */
  private settled(appends: number): void {
    setImmediate(() => {
      this.inFlight--;
      this.appendsInFlight -= appends;
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.limits.concurrency && this.waiting.length > 0) {
      const group = this.takeGroup();
      this.inFlight++;
      this.appendsInFlight += group.length;
      const sent = group.length === 1 ? this.runAlone(group[0]) : this.runGroup(group);
      void sent.finally(() => this.settled(group.length));
    }
  }

  /**
   * The next group: at most an even share of the appends under way (waiting
   * and in flight) per slot. Without the share, a steady set of appenders
   * settles into one big group on one slot and a lone append cycling on the
   * other; with it, the slots carry groups of about the same size and
   * alternate, so the database and this process work at the same time.
   */
  private takeGroup(): Waiting[] {
    const share = Math.ceil((this.waiting.length + this.appendsInFlight) / this.limits.concurrency);
    const most = Math.max(1, Math.min(this.limits.maxAppends, share));
    const group = [this.waiting.shift()!];
    let events = group[0].prepared.eventIds.length;
    while (this.waiting.length > 0 && group.length < most && events + this.waiting[0].prepared.eventIds.length <= this.limits.maxEvents) {
      const next = this.waiting.shift()!;
      events += next.prepared.eventIds.length;
      group.push(next);
    }
    return group;
  }

  /**
   * Whether the tenant has stored any of the append's event ids: one probe,
   * no stream lock. When the probe fails: true, so that the append is tried again.
   */
  async anyStored(prepared: PreparedAppend): Promise<boolean> {
    const rows = await this.database
      .query<{ n: number }>(COUNT_STORED_SQL, [prepared.tenantId, prepared.eventIds], 'appendEvents')
      .catch(() => [{ n: 1 }]);
    return rows[0].n > 0;
  }

  private alone(prepared: PreparedAppend): Promise<EventRow[]> {
    return this.database.query<EventRow>(
      APPEND_EVENTS_SQL,
      [prepared.tenantId, prepared.eventsJson, prepared.expectedJson, prepared.retry],
      'appendEvents',
    );
  }

  private async runAlone(waiting: Waiting): Promise<void> {
    try {
      waiting.resolve(await this.alone(waiting.prepared));
    } catch (error) {
      waiting.reject(error);
    }
  }

  private async runGroup(group: Waiting[]): Promise<void> {
    const parameter = `[${group.map(({ prepared: p }) => `{"tenant":${JSON.stringify(p.tenantId)},"events":${p.eventsJson},"expected":${p.expectedJson},"clientIds":${p.retry}}`).join(',')}]`;
    let rows: GroupRow[];
    try {
      // Appends with caller ids go set-based too (decision 0029): a stored id
      // fails the group's INSERT, and then each append runs alone (below).
      // Only an append sent again as a possible retry needs the per-append path.
      const sql = group.some((waiting) => waiting.prepared.retry) ? APPEND_EACH_SQL : APPEND_GROUP_SQL;
      rows = await this.database.query<GroupRow>(sql, [parameter], 'appendEvents');
    } catch (error) {
      // Nothing of the shared transaction committed. Connection lost: every
      // append fails with it. Anything else (a stream created concurrently,
      // an unforeseen error): each append runs alone and meets its own fate.
      if (error instanceof StoreUnavailableError) {
        for (const waiting of group) waiting.reject(error);
        return;
      }
      for (const waiting of group) await this.runAlone(waiting);
      return;
    }
    const results: GroupRow[][] = group.map(() => []);
    const failures = new Map<number, GroupRow>();
    for (const row of rows) {
      if (row.error_code !== null) failures.set(row.append_index, row);
      else results[row.append_index].push(row);
    }
    await Promise.all(
      group.map(async (waiting, i) => {
        const failure = failures.get(i);
        // The extra columns ride along: the service maps rows field by field.
        if (!failure) return waiting.resolve(results[i]);
        if (failure.error_code === DEADLOCK) return this.runAlone(waiting);
        const driverError = Object.assign(new Error(failure.error_message ?? 'append failed'), {
          code: failure.error_code,
          detail: failure.error_detail ?? undefined,
          constraint: failure.error_constraint || undefined,
        });
        waiting.reject(translateDriverError(driverError, 'appendEvents'));
      }),
    );
  }
}
