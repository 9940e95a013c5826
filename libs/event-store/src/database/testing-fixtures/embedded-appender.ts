// A process that opens the embedded store on DATA_DIR and appends batches
// until it is killed, for the data-folder lock test. Over IPC: { ready: pid }
// once open (or { refused: code, message, holderPid } when the folder is
// locked), { acked: events } after every acknowledged batch while appending,
// { cmd: 'append' } starts appending, { cmd: 'count' } answers { streams },
// { cmd: 'stop' } closes and exits 0.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventStoreModule } from '../../event-store.module';
import { EventStoreDatabase } from '../event-store-database';
import { EventStoreService } from '../../store/event-store.service';
import { DataDirLockedError } from '../../errors/data-dir-locked.error';

/** Events per appended batch: a batch is all or nothing, so every stream holds a multiple of it. */
export const APPENDER_BATCH = 5;

async function main(): Promise<void> {
  @Module({ imports: [EventStoreModule.forRoot({ dataDir: process.env.DATA_DIR, poolSize: 4 })] })
  class AppenderModule {}

  let app;
  try {
    app = await NestFactory.createApplicationContext(AppenderModule, { logger: ['error'], abortOnError: false });
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    process.send!({ refused: error.code, message: error.message, holderPid: error.holderPid }, () => process.exit(3));
    return;
  }
  const store = app.get(EventStoreService);
  const database = app.get(EventStoreDatabase);
  let acked = 0;
  let appending = false;
  const appendLoop = async (): Promise<void> => {
    for (let n = 0; appending; n++) {
      const stream = `s-${process.pid}-${n % 20}`;
      await store.appendEvents(
        Array.from({ length: APPENDER_BATCH }, (_, i) => ({
          aggregateType: 'Load',
          aggregateId: stream,
          eventType: 'Appended',
          data: { n, i },
        })),
        'acme',
      );
      acked += APPENDER_BATCH;
      process.send!({ acked });
    }
  };
  process.on('message', async (message: { cmd: string }) => {
    if (message.cmd === 'append') {
      appending = true;
      // Two appenders: batches in flight at once, so a SIGKILL lands mid-batch.
      void Promise.all([appendLoop(), appendLoop()]);
    } else if (message.cmd === 'count') {
      const rows = await database.query<{ aggregate_id: string; n: number }>(
        `SELECT aggregate_id, count(*)::int AS n FROM stored_domain_events GROUP BY aggregate_id`,
        [],
        'count',
      );
      process.send!({ streams: Object.fromEntries(rows.map((r) => [r.aggregate_id, r.n])) });
    } else if (message.cmd === 'stop') {
      appending = false;
      await app.close();
      process.exit(0);
    }
  });
  process.send!({ ready: process.pid });
}

// Only when run as a process: the test imports APPENDER_BATCH from here.
if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
