import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { EventStoreModule, EventStoreService, EventStoreDatabase } from '@nest-event-store/core';
async function main() {
  const app = await NestFactory.createApplicationContext(EventStoreModule.forRoot({ databaseUrl: process.env.URL!, poolSize: 10, appendConcurrency: Number(process.env.C ?? 2) }), { logger: ['error', 'warn'] });
  const store = app.get(EventStoreService);
  const db: any = app.get(EventStoreDatabase);
  const sizes: number[] = []; const q = db.query.bind(db);
  db.query = (sql: string, p: any[], op: string) => { if (sql.includes('append_group')) sizes.push((JSON.parse(p[0]) as any[]).length); else if (sql.includes('event_store_append(')) sizes.push(1); return q(sql, p, op); };
  const run = async (tag: string, per: number) => {
    const t = Date.now();
    await Promise.all(Array.from({ length: 16 }, async (_, w) => {
      for (let i = 0; i < per; i++) await store.appendEvent({ aggregateType: 'A', aggregateId: `${tag}-${w}`, eventType: 'E', data: { i, name: 'x'.repeat(100) }, metadata: { correlationId: 'c' } }, 't1', { expectedVersion: i });
    }));
    return (16 * per) / ((Date.now() - t) / 1000);
  };
  await run('warm' + Date.now(), 50); sizes.length = 0;
  const eps = await run('m' + Date.now(), 500);
  const hist = new Map<number, number>(); for (const s of sizes) hist.set(s, (hist.get(s) ?? 0) + 1);
  console.log('ev/s', eps.toFixed(0), 'statements', sizes.length, 'appends per statement', (8000 / sizes.length).toFixed(2), [...hist].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}:${v}`).join(' '));
  await app.close();
}
main();
