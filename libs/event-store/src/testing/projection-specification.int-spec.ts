import { AssertionError } from 'node:assert';
import {
  CreateTicketReadModels1763900200000,
  OpenTicketsProjection,
  TicketLogProjection,
} from '../projections/testing-fixtures/ticket-count.projection';
import { CreateTestNotes1764100000501, NOTES_TENANT, NotesProjection } from '../redaction/testing-fixtures/notes.projection';
import { EventMigrationHandler } from '../upcasting/event-migration.handler';
import { describeEachBackend } from './describe-each-backend';
import { projectionSpecification } from './projection-specification';
import { TestStore, openTestStore } from './test-store';

const opened = (id: string, title = 'x') => ({ eventType: 'TicketOpened', aggregateId: id, data: { title } });
const closed = (id: string) => ({ eventType: 'TicketClosed', aggregateId: id, data: {} });
const note = (text: string) => ({ eventType: 'NoteTaken', data: { note: text } });

describeEachBackend('given/when/then for projections', (mode) => {
  let testStore: TestStore;
  beforeAll(async () => {
    testStore = await openTestStore(mode, { schemaMigrations: [CreateTicketReadModels1763900200000, CreateTestNotes1764100000501] });
  });
  afterAll(() => testStore?.close());

  it('passes when the read model holds the expected rows after the given and when events', async () => {
    const spec = projectionSpecification(new OpenTicketsProjection(), testStore.database);
    await spec
      .given([opened('t-1', 'first'), opened('t-2', 'second')])
      .when([closed('t-1')])
      .thenRows(`SELECT ticket_id, title FROM test_open_tickets ORDER BY ticket_id`, [{ ticket_id: 't-2', title: 'second' }]);
    await spec
      .given([opened('t-1')])
      .when([])
      .then(async (tx) => {
        const [row] = await tx.query<{ tenant_id: string }>(`SELECT tenant_id FROM test_open_tickets`);
        expect(row.tenant_id).toBe('test-tenant');
      });
  });

  it('fails when the rows differ', async () => {
    const spec = projectionSpecification(new OpenTicketsProjection(), testStore.database);
    await expect(
      spec
        .given([opened('t-1')])
        .when([opened('t-2')])
        .thenRows(`SELECT ticket_id FROM test_open_tickets ORDER BY ticket_id`, [{ ticket_id: 't-1' }]),
    ).rejects.toBeInstanceOf(AssertionError);
  });

  it('leaves nothing in the database, and starts from an empty read model', async () => {
    const spec = projectionSpecification(new TicketLogProjection(), testStore.database.dataSource);
    await testStore.database.dataSource.query(`INSERT INTO test_ticket_log (global_position, event_type) VALUES (99, 'Stale')`);
    await spec
      .given([opened('t-1')])
      .when([closed('t-1')])
      .thenRows(`SELECT global_position::int AS position, event_type FROM test_ticket_log ORDER BY 1`, [
        { position: 1, event_type: 'TicketOpened' },
        { position: 2, event_type: 'TicketClosed' },
      ]);
    expect(await testStore.database.dataSource.query(`SELECT event_type FROM test_ticket_log`)).toEqual([{ event_type: 'Stale' }]);
    await testStore.database.dataSource.query(`DELETE FROM test_ticket_log`);
  });

  it('skips events the projection is not delivered: other types, another tenant than its own', async () => {
    await projectionSpecification(new TicketLogProjection(), testStore.database)
      .given([opened('t-1'), { eventType: 'TicketRenamed', data: {} }])
      .when([{ eventType: 'TicketCommented', data: {} }])
      .thenRows(`SELECT event_type FROM test_ticket_log ORDER BY global_position`, [
        { event_type: 'TicketOpened' },
        { event_type: 'TicketCommented' },
      ]);
    // NotesProjection follows tenant 'projected' only; its events default to that tenant.
    await projectionSpecification(new NotesProjection(), testStore.database)
      .given([note('mine'), { ...note('theirs'), tenantId: 'other' }])
      .when([])
      .thenRows(`SELECT tenant_id, note FROM test_notes`, [{ tenant_id: NOTES_TENANT, note: 'mine' }]);
  });

  it('upcasts the events first when migrations are passed', async () => {
    const migrations = new EventMigrationHandler();
    migrations.registerMigration('TicketOpened', 1, 2, (data) => ({ ...data, title: `${String(data.title)} (v2)` }));
    await projectionSpecification(new OpenTicketsProjection(), testStore.database, { migrations })
      .given([])
      .when([opened('t-1', 'old')])
      .thenRows(`SELECT title FROM test_open_tickets`, [{ title: 'old (v2)' }]);
  });

  it('passes thenThrows on the expected error and fails otherwise', async () => {
    const spec = projectionSpecification(new OpenTicketsProjection(), testStore.database);
    const failing = { eventType: 'TicketOpened', aggregateId: 't-9', data: { title: 'x', fail: true } };
    await spec
      .given([opened('t-1')])
      .when([failing])
      .thenThrows(Error, 'refusing t-9');
    await expect(
      spec
        .given([opened('t-1')])
        .when([opened('t-2')])
        .thenThrows(Error),
    ).rejects.toBeInstanceOf(AssertionError);
    await expect(spec.given([]).when([failing]).thenThrows(RangeError)).rejects.toBeInstanceOf(AssertionError);
  });

  it('hands a redaction of given events to onRedacted', async () => {
    const spec = projectionSpecification(new NotesProjection(), testStore.database);
    const kept = '00000000-0000-4000-8000-000000000002';
    const erased = { ...note('secret'), eventId: '7d3f1c9e-0000-4000-8000-000000000001' };
    await spec
      .given([erased, note('public')])
      .whenRedacted([erased.eventId])
      .then(async (tx) => {
        expect(await tx.query(`SELECT event_id, note FROM test_notes`)).toEqual([{ event_id: kept, note: 'public' }]);
        expect(await tx.query(`SELECT events FROM test_notes_redactions`)).toEqual([{ events: 1 }]);
      });
    expect(() => spec.given([note('a')]).whenRedacted(['00000000-0000-4000-8000-000000000099'])).toThrow(TypeError);
    await expect(
      projectionSpecification(new TicketLogProjection(), testStore.database)
        .given([opened('t-1')])
        .whenRedacted(['00000000-0000-4000-8000-000000000001'])
        .then(() => undefined),
    ).rejects.toThrow(/no onRedacted/);
  });
});
