import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { StoredDomainEvent } from '../types/stored-domain-event';

const APPEND_ONLY = /append-only/;

// Plain SQL through the pool's superuser connection: the trigger, not the
// code or the role, is what refuses the rewrite.
describeEachBackend('append-only guard', (mode) => {
  let t: TestStore;
  let stored: StoredDomainEvent;
  beforeAll(async () => {
    t = await openTestStore(mode);
    stored = await t.store.appendEvent({ aggregateType: 'Doc', aggregateId: 'd-1', eventType: 'DocWritten', data: { text: 'hello' }, metadata: { userId: 'alice' } }, 'acme');
  });
  afterAll(() => t?.close());

  const raw = (sql: string, params: unknown[] = []) => t.database.dataSource.query(sql, params);

  it('rejects UPDATE, DELETE and TRUNCATE with the append-only error', async () => {
    await expect(raw(`UPDATE stored_domain_events SET data = '{"text":"changed"}' WHERE event_id = $1`, [stored.eventId])).rejects.toThrow(APPEND_ONLY);
    await expect(raw(`DELETE FROM stored_domain_events WHERE event_id = $1`, [stored.eventId])).rejects.toThrow(APPEND_ONLY);
    await expect(raw(`TRUNCATE stored_domain_events`)).rejects.toThrow(APPEND_ONLY);
    await expect(raw(`DELETE FROM stored_domain_events`)).rejects.toMatchObject({ driverError: expect.objectContaining({ code: 'ESAPO' }) });
    const [row] = await raw(`SELECT data FROM stored_domain_events WHERE event_id = $1`, [stored.eventId]);
    expect(row.data).toEqual({ text: 'hello' });
  });

  it('lets the redaction switch change the payload columns only', async () => {
    // The tenant role may not even try (column grants); the trigger stops the superuser.
    const asTenant = t.database.runInTenant('acme', (q) => q.query(`UPDATE stored_domain_events SET event_type = 'Other' WHERE event_id = $1`, [stored.eventId]), 'test', ['event_store.redaction']);
    await expect(asTenant).rejects.toThrow(/permission denied/);
    const runner = t.database.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`SELECT set_config('event_store.redaction', 'on', true)`);
      await expect(runner.query(`UPDATE stored_domain_events SET event_type = 'Other' WHERE event_id = $1`, [stored.eventId])).rejects.toThrow(/redaction may only change/);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    const redacted = await t.store.redactEvent(stored.eventId, 'acme', { reason: 'test', requestedBy: 'dpo' });
    expect(redacted.data).toEqual({ redacted: true });
    expect(redacted.eventType).toBe('DocWritten');
  });

  it('keeps the purge switch from working without its transaction flag', async () => {
    await expect(t.database.runInTenant('acme', (q) => q.query(`DELETE FROM stored_domain_events WHERE tenant_id = 'acme'`))).rejects.toThrow(APPEND_ONLY);
    expect((await t.store.getEventsForAggregate('d-1', 'acme')).length).toBe(1);
  });
});
