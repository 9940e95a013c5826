import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { APPENDED_CHANNEL } from '../store/append-signal';

/**
 * A dedicated server connection LISTENing for appends (from any process), so
 * that subscriptions read new events at once instead of at the next poll.
 * Best effort: if it fails, polling still delivers everything. Not used on
 * PGlite, whose socket server does not forward NOTIFY between connections.
 */
export class AppendListener {
  private static readonly logger = new Logger('EventStore:delivery');
  private client?: Client;

  private constructor(private readonly onAppended: () => void) {}

  /** Connects and listens; resolves to undefined (polling only) when that fails. */
  static async listen(databaseUrl: string, onAppended: () => void): Promise<AppendListener | undefined> {
    const listener = new AppendListener(onAppended);
    const client = new Client({ connectionString: databaseUrl, application_name: 'nest-event-store-listener' });
    try {
      await client.connect();
      client.on('notification', () => listener.onAppended());
      // Dropped connection: fall back to polling rather than crash the process.
      client.on('error', (error) => {
        AppendListener.logger.warn(`LISTEN connection lost (${error.message}); subscriptions fall back to polling`);
        listener.client = undefined;
      });
      await client.query(`LISTEN ${APPENDED_CHANNEL}`);
      listener.client = client;
      return listener;
    } catch (error) {
      AppendListener.logger.warn(`Could not LISTEN for appends (${(error as Error).message}); subscriptions poll instead`);
      await client.end().catch(() => undefined);
      return undefined;
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
