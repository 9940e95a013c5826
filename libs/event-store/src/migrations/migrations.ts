import { CreateEventStore1763900000000 } from './1763900000000-create-event-store';
import { CreateSubscriptions1763900000001 } from './1763900000001-create-subscriptions';
import { PlansWithoutStatistics1764100000300 } from './1764100000300-plans-without-statistics';
import { ScopedReadHorizon1764100000400 } from './1764100000400-scoped-read-horizon';
import { SubjectKeysIndex1764100000500 } from './1764100000500-subject-keys-index';

/** Every migration of the event store, oldest first. */
export const EVENT_STORE_MIGRATIONS = [
  CreateEventStore1763900000000,
  CreateSubscriptions1763900000001,
  PlansWithoutStatistics1764100000300,
  ScopedReadHorizon1764100000400,
  SubjectKeysIndex1764100000500,
];
