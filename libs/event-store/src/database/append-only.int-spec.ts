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
    stored = await t.store.appendEvent(
      { aggregateType: 'Doc', aggregateId: 'd-1', eventType: 'DocWritten', data: { text: 'hello' }, metadata: { userId: 'alice' } },
      'acme',
    );
  });
  afterAll(() => t?.close());

  const raw = (sql: string, params: unknown[] = []) => t.database.dataSource.query(sql, params);

  it('rejects UPDATE, DELETE and TRUNCATE with the append-only error', async () => {
    await expect(raw(`UPDATE stored_domain_events SET data = '{"text":"changed"}' WHERE event_id = $1`, [stored.eventId])).rejects.toThrow(
      APPEND_ONLY,
    );
    await expect(raw(`DELETE FROM stored_domain_events WHERE event_id = $1`, [stored.eventId])).rejects.toThrow(APPEND_ONLY);
    await expect(raw(`TRUNCATE stored_domain_events`)).rejects.toThrow(APPEND_ONLY);
    await expect(raw(`DELETE FROM stored_domain_events`)).rejects.toMatchObject({
      driverError: expect.objectContaining({ code: 'ESAPO' }),
    });
    const [row] = await raw(`SELECT data FROM stored_domain_events WHERE event_id = $1`, [stored.eventId]);
    expect(row.data).toEqual({ text: 'hello' });
  });

  it('ignores the old session switches: only the writer role may rewrite, and only by redacting', async () => {
    const runner = t.database.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`SELECT set_config('event_store.redaction', 'on', true), set_config('event_store.purge', 'on', true)`);
      await runner.query('SAVEPOINT s');
      await expect(runner.query(`UPDATE stored_domain_events SET data = '{}' WHERE event_id = $1`, [stored.eventId])).rejects.toThrow(
        APPEND_ONLY,
      );
      await runner.query('ROLLBACK TO SAVEPOINT s');
      await expect(runner.query(`DELETE FROM stored_domain_events WHERE event_id = $1`, [stored.eventId])).rejects.toThrow(APPEND_ONLY);
      await runner.query('ROLLBACK TO SAVEPOINT s');
      // Even as the writer, a rewrite must mark the event redacted and keep the envelope.
      await runner.query(`SELECT set_config('role', $1, true), set_config('app.tenant_id', 'acme', true)`, [t.database.roles.writer]);
      await expect(runner.query(`UPDATE stored_domain_events SET data = '{}' WHERE event_id = $1`, [stored.eventId])).rejects.toThrow(
        /must redact an event not yet redacted/,
      );
      await runner.query('ROLLBACK TO SAVEPOINT s');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    const redacted = await t.store.redactEvent(stored.eventId, 'acme', { reason: 'test', requestedBy: 'dpo' });
    expect(redacted.data).toEqual({ redacted: true });
    expect(redacted.eventType).toBe('DocWritten');
  });

  it('keeps the redaction log append-only, even for its owner', async () => {
    await expect(raw(`UPDATE event_store_redactions SET reason = 'other'`)).rejects.toThrow(APPEND_ONLY);
    await expect(raw(`DELETE FROM event_store_redactions`)).rejects.toThrow(APPEND_ONLY);
    await expect(raw(`TRUNCATE event_store_redactions`)).rejects.toThrow(APPEND_ONLY);
    const [{ n }] = await t.database.runInTenant('acme', (q) => q.query('SELECT count(*)::int AS n FROM event_store_redactions'));
    expect(n).toBe(1);
  });

  it('lets the tenant role neither delete nor rewrite events, streams or the redaction log', async () => {
    for (const sql of [
      `DELETE FROM stored_domain_events WHERE tenant_id = 'acme'`,
      `UPDATE stored_domain_events SET metadata = '{}' WHERE tenant_id = 'acme'`,
      `UPDATE event_store_streams SET version = 0 WHERE tenant_id = 'acme'`,
      `DELETE FROM event_store_redactions WHERE tenant_id = 'acme'`,
    ]) {
      await expect(t.database.runInTenant('acme', (q) => q.query(sql))).rejects.toThrow(/permission denied/);
    }
    expect((await t.store.getEventsForAggregate('d-1', 'acme')).length).toBe(1);
  });
});
