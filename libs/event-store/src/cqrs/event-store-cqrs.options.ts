import { Type } from '@nestjs/common';
import { SubscriptionStart } from '../subscriptions/subscription.options';

/** Options of `EventStoreCqrsModule.forRoot`. */
export interface EventStoreCqrsOptions {
  /**
   * The app's event classes. A class's event type is its name
   * (`class OrderPlaced` ↔ `eventType: 'OrderPlaced'`); a record maps other
   * event types explicitly. Stored events of other types are not forwarded.
   * `CqrsAggregateRepository` saves events under these types and loads them
   * back into these classes.
   */
  events: Type[] | Record<string, Type>;
  /** Name of the durable subscription that forwards to the EventBus (keys its checkpoint). @default 'cqrs-event-bus' */
  name?: string;
  /**
   * Where forwarding starts the first time the bridge runs; later runs resume
   * from the checkpoint. `'now'` so that adding the bridge does not replay the
   * whole history to the handlers. @default 'now'
   */
  startFrom?: SubscriptionStart;
  /** Only this tenant's events. @default every tenant */
  tenantId?: string;
}

/** Injection token of the options. */
export const EVENT_STORE_CQRS_OPTIONS = Symbol('EVENT_STORE_CQRS_OPTIONS');
