import { Logger } from '@nestjs/common';
import { EventStoreDatabase } from '../database/event-store-database';

/** Channel on which the store announces commits to other processes. */
export const APPENDED_CHANNEL = 'event_store_appended';

/**
 * Tells readers that events were committed. Listeners in this process
 * (subscriptions) are called at once. Other processes, which LISTEN on
 * APPENDED_CHANNEL, get one NOTIFY per `notifyIntervalMs` at most, sent after
 * the commit in its own statement: a NOTIFY inside the append transactions
 * would serialize every commit on PostgreSQL's notification lock. Best
 * effort; readers also poll. Not sent on PGlite, whose socket server does not
 * forward notifications between connections.
 */
export class AppendSignal {
  private static readonly logger = new Logger('EventStore');
  private readonly listeners = new Set<() => void>();
  private timer?: NodeJS.Timeout;
  private sending = false;
  private pending = false;
  private lastSentAt = 0;
  private readonly intervalMs: number;

  constructor(private readonly database: EventStoreDatabase) {
    this.intervalMs = database.options.delivery.notifyIntervalMs;
  }

  /** Calls `listener` after every commit of this process; returns how to stop. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events were committed. */
  fire(): void {
    for (const listener of this.listeners) listener();
    if (this.database.isEmbedded) return;
    this.pending = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.sending || this.timer || !this.pending) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.send();
    }, wait);
    this.timer.unref();
  }

  private async send(): Promise<void> {
    if (!this.database.isOpen) return;
    this.pending = false;
    this.sending = true;
    this.lastSentAt = Date.now();
    try {
      await this.database.query('SELECT pg_notify($1, $2)', [APPENDED_CHANNEL, ''], 'notifyAppended');
    } catch (error) {
      AppendSignal.logger.debug(`NOTIFY after append failed (readers poll): ${(error as Error).message}`);
    } finally {
      this.sending = false;
      this.schedule();
    }
  }
}
