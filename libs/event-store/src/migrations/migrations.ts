import { CreateEventStore1763900000000 } from './1763900000000-create-event-store';
import { CreateSubscriptions1763900000001 } from './1763900000001-create-subscriptions';
import { PlansWithoutStatistics1764100000300 } from './1764100000300-plans-without-statistics';

/** Every migration of the event store, oldest first. */
export const EVENT_STORE_MIGRATIONS = [CreateEventStore1763900000000, CreateSubscriptions1763900000001, PlansWithoutStatistics1764100000300];
