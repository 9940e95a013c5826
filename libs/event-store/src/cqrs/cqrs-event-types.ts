import { Inject, Injectable, Type } from '@nestjs/common';
import { StoredDomainEvent } from '../types/stored-domain-event';
import { attachEnvelope } from './event-envelope';
import { UnregisteredEventClassError } from './cqrs.errors';
import { EVENT_STORE_CQRS_OPTIONS, EventStoreCqrsOptions } from './event-store-cqrs.options';

/**
 * The app's event classes by stored event type, and back, as given to
 * `EventStoreCqrsModule.forRoot({ events })`. One mapping for both
 * directions: what the bridge publishes and aggregate repositories replay is
 * what they save.
 */
@Injectable()
export class CqrsEventTypes {
  private readonly classes: Map<string, Type>;
  private readonly types = new Map<Type, string>();

  constructor(@Inject(EVENT_STORE_CQRS_OPTIONS) options: EventStoreCqrsOptions) {
    const events = options.events;
    this.classes = new Map(Array.isArray(events) ? events.map((type) => [type.name, type]) : Object.entries(events));
    for (const [eventType, type] of this.classes) this.types.set(type, eventType);
  }

  /** Every registered event type. */
  eventTypes(): string[] {
    return [...this.classes.keys()];
  }

  /** The class of an event type, or undefined when it has none. */
  classOf(eventType: string): Type | undefined {
    return this.classes.get(eventType);
  }

  /**
   * The stored event type of an event instance (its exact class, not a subclass).
   * @throws UnregisteredEventClassError when its class is not registered
   */
  typeOf(event: object): string {
    const type = (event as { constructor: Type }).constructor;
    const eventType = this.types.get(type);
    if (eventType === undefined) throw new UnregisteredEventClassError(type?.name ?? typeof event);
    return eventType;
  }

  /**
   * The app's event instance for a stored event: its class's prototype (the
   * constructor does not run, so it cannot reject or alter stored data) and
   * the (upcast) payload's fields, with the stored envelope attached
   * (`getEventEnvelope`). Undefined when the event type has no class.
   */
  toEvent(stored: StoredDomainEvent): object | undefined {
    const type = this.classes.get(stored.eventType);
    if (!type) return undefined;
    return attachEnvelope(Object.assign(Object.create(type.prototype as object) as object, stored.data), stored);
  }
}
