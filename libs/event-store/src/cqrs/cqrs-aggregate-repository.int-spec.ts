import { Injectable, INestApplicationContext } from '@nestjs/common';
import { AggregateRoot, CqrsModule } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { AggregateDefinitionError } from '../aggregates/aggregate.errors';
import { StreamNotFoundError } from '../errors/stream-not-found.error';
import { EventValidationError } from '../errors/event-validation.error';
import { EventStoreModule } from '../event-store.module';
import { EventStoreService } from '../store/event-store.service';
import { DatabaseMode, TestDatabase, createTestDatabase, describeEachBackend } from '../testing';
import { EventData } from '../types/stored-domain-event';
import { EventUpcaster, EventUpcasterHandler } from '../upcasting/event-upcaster.decorator';
import { CqrsAggregateRepository } from './cqrs-aggregate-repository';
import { getCqrsAggregateRepositoryToken } from './cqrs-aggregate-repository.options';
import { UnregisteredEventClassError } from './cqrs.errors';
import { getEventEnvelope } from './event-envelope';
import { EventStoreCqrsModule } from './event-store-cqrs.module';

class AccountOpened {
  constructor(
    readonly owner: string,
    readonly currency: string,
  ) {}
}

class AccountCredited {
  constructor(readonly amount: number) {}
}

class AccountAudited {}

@Injectable()
@EventUpcaster({ eventType: 'account.opened', fromVersion: 1, toVersion: 2 })
class AccountOpenedV1ToV2 implements EventUpcasterHandler {
  upcast(data: EventData): EventData {
    return { ...data, currency: 'EUR' };
  }
}

class Account extends AggregateRoot {
  owner = '';
  currency = '';
  balance = 0;
  readonly history: object[] = [];

  constructor(readonly accountNo: string) {
    super();
  }

  onAccountOpened(event: AccountOpened): void {
    this.history.push(event);
    this.owner = event.owner;
    this.currency = event.currency;
  }

  onAccountCredited(event: AccountCredited): void {
    this.history.push(event);
    this.balance += event.amount;
  }
}

describeEachBackend('CqrsAggregateRepository', (mode: DatabaseMode) => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let store: EventStoreService;
  let accounts: CqrsAggregateRepository<Account>;
  const open = (no: string): Account => {
    const account = new Account(no);
    account.apply(new AccountOpened('ada', 'CHF'));
    return account;
  };

  beforeAll(async () => {
    database = await createTestDatabase(mode);
    const moduleRef = await Test.createTestingModule({
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule.forRoot({ databaseUrl: database.databaseUrl, dataDir: database.dataDir }),
        EventStoreModule.forFeature({ upcasters: [AccountOpenedV1ToV2] }),
        // Stored event types other than the class names, and a stream type other than the class name.
        EventStoreCqrsModule.forRoot({ events: { 'account.opened': AccountOpened, 'account.credited': AccountCredited } }),
      ],
      providers: [CqrsAggregateRepository.provide(Account, { aggregateType: 'BankAccount', idOf: (a) => a.accountNo })],
    }).compile();
    app = await moduleRef.init();
    store = app.get(EventStoreService);
    accounts = app.get(getCqrsAggregateRepositoryToken(Account));
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('stores each event under its mapped type and latest version, with its own fields as the payload', async () => {
    const account = open('acc-1');
    account.apply(new AccountCredited(5));
    const stored = await accounts.save(account, 'acme', { metadata: { userId: 'alice' } });
    expect(stored.map((e) => [e.aggregateType, e.aggregateId, e.eventType, e.eventVersion, e.data, e.metadata.userId])).toEqual([
      ['BankAccount', 'acc-1', 'account.opened', 2, { owner: 'ada', currency: 'CHF' }, 'alice'],
      ['BankAccount', 'acc-1', 'account.credited', 1, { amount: 5 }, 'alice'],
    ]);
    expect(account.getUncommittedEvents()).toEqual([]);
    expect(accounts.versionOf(account)).toBe(2);
  });

  it('replays the stream as instances of the event classes, upcast, with their envelopes', async () => {
    await store.appendEvent(
      { aggregateType: 'BankAccount', aggregateId: 'acc-2', eventType: 'account.opened', eventVersion: 1, data: { owner: 'grace' } },
      'acme',
    );
    const account = await accounts.load('acme', 'acc-2');
    expect(account).toMatchObject({ owner: 'grace', currency: 'EUR', balance: 0 });
    expect(account.history[0]).toBeInstanceOf(AccountOpened);
    expect(getEventEnvelope(account.history[0])).toMatchObject({ aggregateVersion: 1, eventVersion: 2, tenantId: 'acme' });

    account.apply(new AccountCredited(3));
    await accounts.save(account, 'acme');
    account.apply(new AccountCredited(4)); // a second save continues from the version the first one reached
    await accounts.save(account, 'acme');
    expect(await accounts.load('acme', 'acc-2')).toMatchObject({ balance: 7 });
  });

  it('refuses an event whose class is not registered, writing nothing', async () => {
    const account = open('acc-3');
    account.apply(new AccountAudited());
    await expect(accounts.save(account, 'acme')).rejects.toBeInstanceOf(UnregisteredEventClassError);
    await expect(accounts.load('acme', 'acc-3')).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('answers not found for a stream of another aggregate type and for another tenant', async () => {
    await store.appendEvent({ aggregateType: 'Invoice', aggregateId: 'inv-1', eventType: 'InvoiceIssued', data: {} }, 'acme');
    await expect(accounts.load('acme', 'inv-1')).rejects.toBeInstanceOf(StreamNotFoundError);
    await accounts.save(open('acc-4'), 'acme');
    await expect(accounts.load('globex', 'acc-4')).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('refuses to save a loaded aggregate into another tenant', async () => {
    await accounts.save(open('acc-5'), 'acme');
    const account = await accounts.load('acme', 'acc-5');
    account.apply(new AccountCredited(1));
    await expect(accounts.save(account, 'globex')).rejects.toBeInstanceOf(EventValidationError);
  });

  it('refuses an autoCommit aggregate, whose events were published before any save', async () => {
    const account = open('acc-6');
    account.autoCommit = true;
    await expect(accounts.save(account, 'acme')).rejects.toBeInstanceOf(AggregateDefinitionError);
  });

  it('accepts only the registered event types on its stream type, by any path', async () => {
    await expect(
      store.appendEvent({ aggregateType: 'BankAccount', aggregateId: 'acc-7', eventType: 'AccountFrozen', data: {} }, 'acme'),
    ).rejects.toBeInstanceOf(EventValidationError);
  });
});
