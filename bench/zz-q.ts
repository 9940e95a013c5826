import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { EventStoreModule, EventStoreDatabase } from '@nest-event-store/core';
async function main() {
  const app = await NestFactory.createApplicationContext(EventStoreModule.forRoot({ databaseUrl: process.env.URL!, poolSize: 10 }), { logger: ['error', 'warn'] });
  const db = app.get(EventStoreDatabase);
  const pool = (db.dataSource.driver as any).master;
  for (let r = 0; r < 3; r++) {
    let c0 = process.cpuUsage(); let t = Date.now();
    for (let i = 0; i < 3000; i++) await db.query('SELECT $1::int AS x', [i], 'x');
    let c = process.cpuUsage(c0); console.log('typeorm  wall us', ((Date.now() - t) * 1000 / 3000).toFixed(0), 'cpu us', ((c.user + c.system) / 3000).toFixed(0));
    c0 = process.cpuUsage(); t = Date.now();
    for (let i = 0; i < 3000; i++) { const cl = await pool.connect(); try { await cl.query('SELECT $1::int AS x', [i]); } finally { cl.release(); } }
    c = process.cpuUsage(c0); console.log('pg pool  wall us', ((Date.now() - t) * 1000 / 3000).toFixed(0), 'cpu us', ((c.user + c.system) / 3000).toFixed(0));
  }
  await app.close();
}
main();
