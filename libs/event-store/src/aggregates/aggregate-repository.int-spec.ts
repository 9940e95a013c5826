import { ConcurrencyError } from '../errors/concurrency.error';
import { StreamNotFoundError } from '../errors/stream-not-found.error';
import { EventValidationError } from '../errors/event-validation.error';
import { EventStorePublisher } from '../publishing/event-store.publisher';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { AggregateRepository } from './aggregate-repository';
import { Ticket, TicketV2 } from './testing-fixtures/ticket.aggregate';

const TENANT = 'acme';

describeEachBackend('AggregateRepository', (mode) => {
  let t: TestStore;
  let tickets: AggregateRepository<Ticket>;
  beforeAll(async () => {
    t = await openTestStore(mode);
    tickets = new AggregateRepository(t.store, t.migrations, Ticket, {}, t.app.get(EventStorePublisher));
  });
  afterAll(() => t?.close());

  const newTicket = async (id: string, comments = 0): Promise<Ticket> => {
    const ticket = new Ticket(id);
    ticket.open(`ticket ${id}`);
    for (let i = 0; i < comments; i++) ticket.comment(`c${i}`);
    await tickets.save(ticket, TENANT, { metadata: { userId: 'alice' } });
    return ticket;
  };

  describe('load and save', () => {
    it('saves a new aggregate with no_stream and loads it back', async () => {
      const ticket = await newTicket('T-1', 2);
      expect(ticket.version).toBe(3);
      expect(ticket.getUncommittedEvents()).toHaveLength(0);
      const loaded = await tickets.load(TENANT, 'T-1');
      expect(loaded.toSnapshot()).toEqual({ title: 'ticket T-1', comments: ['c0', 'c1'], closed: false });
      expect(loaded.version).toBe(3);
      const events = await t.store.getEventsForAggregate('T-1', TENANT);
      expect(events.map((e) => [e.aggregateType, e.eventType, e.metadata.userId])).toEqual([
        ['Ticket', 'TicketOpened', 'alice'],
        ['Ticket', 'TicketCommented', 'alice'],
        ['Ticket', 'TicketCommented', 'alice'],
      ]);
    });

    it('refuses to create an aggregate whose id is already taken', async () => {
      await newTicket('T-dup');
      await expect(newTicket('T-dup')).rejects.toBeInstanceOf(ConcurrencyError);
    });

    it('saves nothing when there are no uncommitted events', async () => {
      const ticket = await newTicket('T-empty');
      expect(await tickets.save(ticket, TENANT)).toEqual([]);
    });

    it('throws StreamNotFoundError for an unknown id, another tenant, or another aggregate type', async () => {
      await newTicket('T-mine');
      await expect(tickets.load(TENANT, 'T-unknown')).rejects.toBeInstanceOf(StreamNotFoundError);
      await expect(tickets.load('globex', 'T-mine')).rejects.toBeInstanceOf(StreamNotFoundError);
      await t.store.appendEvent({ aggregateType: 'Other', aggregateId: 'O-1', eventType: 'TicketOpened', data: { title: 'x' } }, TENANT);
      await expect(tickets.load(TENANT, 'O-1')).rejects.toBeInstanceOf(StreamNotFoundError);
    });

    it('upcasts stored events on load and writes new events at the latest version', async () => {
      await newTicket('T-up', 1);
      t.migrations.registerMigration('TicketCommented', 1, 2, (data) => ({ text: `${String(data.text)}!` }));
      const loaded = await tickets.load(TENANT, 'T-up');
      expect(loaded.comments).toEqual(['c0!']);
      loaded.comment('new');
      const [stored] = await tickets.save(loaded, TENANT);
      expect(stored.eventVersion).toBe(2);
      expect((await tickets.load(TENANT, 'T-up')).comments).toEqual(['c0!', 'new']);
    });

    it('fails a stale aggregate with ConcurrencyError and writes nothing of it', async () => {
      await newTicket('T-race');
      const first = await tickets.load(TENANT, 'T-race');
      const second = await tickets.load(TENANT, 'T-race');
      first.comment('first');
      second.comment('second');
      await tickets.save(first, TENANT);
      const attempt = tickets.save(second, TENANT);
      await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(attempt).rejects.toMatchObject({ expectedVersion: 1, actualVersion: 2 });
      expect((await tickets.load(TENANT, 'T-race')).comments.length).toBe(1);
      expect(second.getUncommittedEvents()).toHaveLength(1);
    });
  });

  describe('snapshots', () => {
    it('records a snapshot each time a save crosses a multiple of snapshotEvery and loads from it', async () => {
      const repo = new AggregateRepository(t.store, t.migrations, Ticket, { snapshotEvery: 3 });
      const ticket = new Ticket('S-1');
      ticket.open('s');
      ticket.comment('a');
      await repo.save(ticket, TENANT);
      expect(await t.store.getLatestSnapshot('S-1', TENANT)).toBeNull();
      ticket.comment('b');
      ticket.comment('c');
      await repo.save(ticket, TENANT); // 2 → 4 crosses 3
      expect(await t.store.getLatestSnapshot('S-1', TENANT)).toMatchObject({
        version: 4,
        schemaVersion: 1,
        state: { comments: ['a', 'b', 'c'] },
      });
      ticket.comment('d');
      await repo.save(ticket, TENANT); // 5: no new snapshot
      expect((await t.store.getLatestSnapshot('S-1', TENANT))?.version).toBe(4);

      const loaded = await repo.load(TENANT, 'S-1');
      expect(loaded.comments).toEqual(['a', 'b', 'c', 'd']);
      expect(loaded.version).toBe(5);
      expect(loaded.handled).toBe(1); // only event 5 was replayed
    });

    it('ignores snapshots of another schema version and rebuilds from events', async () => {
      const repo = new AggregateRepository(t.store, t.migrations, Ticket, { snapshotEvery: 2 });
      const ticket = new Ticket('S-2');
      ticket.open('s');
      ticket.comment('a');
      await repo.save(ticket, TENANT);
      expect((await t.store.getLatestSnapshot('S-2', TENANT))?.schemaVersion).toBe(1);

      const repoV2 = new AggregateRepository<TicketV2>(t.store, t.migrations, TicketV2, { snapshotEvery: 2 });
      const loaded = await repoV2.load(TENANT, 'S-2');
      expect(loaded.handled).toBe(2); // replayed everything
      expect(loaded.comments).toEqual(['a']);
      loaded.comment('b');
      loaded.comment('c');
      await repoV2.save(loaded, TENANT);
      expect(await t.store.getLatestSnapshot('S-2', TENANT)).toMatchObject({ version: 4, schemaVersion: 2 });
      expect((await repoV2.load(TENANT, 'S-2')).handled).toBe(0);
    });
  });

  describe('time travel', () => {
    it('rebuilds the aggregate as of a version, using a snapshot at or below it', async () => {
      const repo = new AggregateRepository(t.store, t.migrations, Ticket, { snapshotEvery: 2 });
      const ticket = new Ticket('H-1');
      ticket.open('h');
      for (const text of ['a', 'b', 'c', 'd']) {
        ticket.comment(text);
        await repo.save(ticket, TENANT);
      }
      const atThree = await repo.loadAt(TENANT, 'H-1', { version: 3 });
      expect(atThree.comments).toEqual(['a', 'b']);
      expect(atThree.version).toBe(3);
      expect(atThree.handled).toBe(1); // snapshot at 2, then event 3
      expect((await repo.loadAt(TENANT, 'H-1', { version: 1 })).comments).toEqual([]);
      expect((await repo.loadAt(TENANT, 'H-1', { version: 5 })).comments).toEqual(['a', 'b', 'c', 'd']);
      await expect(repo.loadAt(TENANT, 'H-1', { version: 6 })).rejects.toBeInstanceOf(EventValidationError);
      await expect(repo.loadAt(TENANT, 'H-1', { version: 0 })).rejects.toBeInstanceOf(EventValidationError);
      await expect(repo.loadAt(TENANT, 'H-unknown', { version: 1 })).rejects.toBeInstanceOf(StreamNotFoundError);
    });

    it('rebuilds the aggregate as of a point in time from occurredAt', async () => {
      const ticket = new Ticket('H-2');
      ticket.open('h');
      ticket.comment('jan', new Date('2030-01-10T00:00:00Z'));
      ticket.comment('feb', new Date('2030-02-10T00:00:00Z'));
      await tickets.save(ticket, TENANT);
      expect((await tickets.loadAt(TENANT, 'H-2', { at: new Date('2030-01-31T00:00:00Z') })).comments).toEqual(['jan']);
      expect((await tickets.loadAt(TENANT, 'H-2', { at: new Date('2030-02-10T00:00:00Z') })).comments).toEqual(['jan', 'feb']);
      await expect(tickets.loadAt(TENANT, 'H-2', { at: new Date('2000-01-01T00:00:00Z') })).rejects.toBeInstanceOf(StreamNotFoundError);
      await expect(tickets.loadAt(TENANT, 'H-2', { at: new Date('nope') })).rejects.toBeInstanceOf(EventValidationError);
    });
  });
});
