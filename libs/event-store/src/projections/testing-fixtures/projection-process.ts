// A process running the status-board projection against DATABASE_URL, for the
// multi-process test. Talks to its parent over IPC: 'ready' once started,
// { cmd: 'rebuild' } → { rebuilt }, { cmd: 'stop' } → clean exit.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventStoreModule } from '../../event-store.module';
import { ProjectionManager } from '../projection-manager';
import { CreateStatusBoard1763900100000, StatusBoardProjection, projectionOwner } from './status-board.projection';

async function main(): Promise<void> {
  projectionOwner.id = `pid-${process.pid}`;

  @Module({
    imports: [
      EventStoreModule.forRoot({
        databaseUrl: process.env.DATABASE_URL,
        poolSize: 3,
        schemaMigrations: [CreateStatusBoard1763900100000],
        delivery: { ownerId: projectionOwner.id, pollIntervalMs: 50, leaseDurationMs: 2000, leaseRenewIntervalMs: 300 },
      }),
    ],
    providers: [StatusBoardProjection],
  })
  class ProjectionProcessModule {}

  const app = await NestFactory.createApplicationContext(ProjectionProcessModule, { logger: ['error', 'warn'] });
  process.on('message', async (message: { cmd: string }) => {
    if (message.cmd === 'rebuild') {
      const rebuilt = await app.get(ProjectionManager).rebuild('requirement-status-board');
      process.send!({ rebuilt });
    } else if (message.cmd === 'stop') {
      await app.close();
      process.exit(0);
    }
  });
  process.send!({ ready: projectionOwner.id });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
