import { MigrationInterface } from 'typeorm';
import { eventStoreRoles } from '../database/roles';
import { EVENT_STORE_DEFAULTS } from '../event-store.defaults';
import { CreateEventStore1763900000000 } from './1763900000000-create-event-store';
import { CreateSubscriptions1763900000001 } from './1763900000001-create-subscriptions';
import { PlansWithoutStatistics1764100000300 } from './1764100000300-plans-without-statistics';
import { ScopedReadHorizon1764100000400 } from './1764100000400-scoped-read-horizon';
import { SubjectKeysIndex1764100000500 } from './1764100000500-subject-keys-index';
import { LeastPrivilege1764100000600 } from './1764100000600-least-privilege';
import { HorizonEndedTransactions1764200000000 } from './1764200000000-horizon-ended-transactions';
import { OneRoundTripReads1764200000400 } from './1764200000400-one-round-trip-reads';
import { OperatorCommandLine1764300000000 } from './1764300000000-operator-command-line';
import { CustomPlansForTenantLookups1764300000100 } from './1764300000100-custom-plans-for-tenant-lookups';
import { OptimisticAppend1764300000200 } from './1764300000200-optimistic-append';

/** Every migration of the event store, oldest first, for the default role prefix. */
export const EVENT_STORE_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateEventStore1763900000000,
  CreateSubscriptions1763900000001,
  PlansWithoutStatistics1764100000300,
  ScopedReadHorizon1764100000400,
  SubjectKeysIndex1764100000500,
  LeastPrivilege1764100000600,
  HorizonEndedTransactions1764200000000,
  OneRoundTripReads1764200000400,
  OperatorCommandLine1764300000000,
  CustomPlansForTenantLookups1764300000100,
  OptimisticAppend1764300000200,
];

/**
 * The store's migrations with role names of the given prefix (module option
 * `rolePrefix`). TypeORM instantiates migration classes without arguments,
 * so the prefixed one is a subclass; its `name` (the key in the migrations
 * table) stays the same.
 */
export function eventStoreMigrations(rolePrefix: string = EVENT_STORE_DEFAULTS.rolePrefix): (new () => MigrationInterface)[] {
  if (rolePrefix === EVENT_STORE_DEFAULTS.rolePrefix) return EVENT_STORE_MIGRATIONS;
  const roles = eventStoreRoles(rolePrefix);
  class PrefixedLeastPrivilege1764100000600 extends LeastPrivilege1764100000600 {
    constructor() {
      super(roles);
    }
  }
  class PrefixedOneRoundTripReads1764200000400 extends OneRoundTripReads1764200000400 {
    constructor() {
      super(roles);
    }
  }
  class PrefixedOperatorCommandLine1764300000000 extends OperatorCommandLine1764300000000 {
    constructor() {
      super(roles);
    }
  }
  const prefixed = new Map<new () => MigrationInterface, new () => MigrationInterface>([
    [LeastPrivilege1764100000600, PrefixedLeastPrivilege1764100000600],
    [OneRoundTripReads1764200000400, PrefixedOneRoundTripReads1764200000400],
    [OperatorCommandLine1764300000000, PrefixedOperatorCommandLine1764300000000],
  ]);
  return EVENT_STORE_MIGRATIONS.map((m) => prefixed.get(m) ?? m);
}
