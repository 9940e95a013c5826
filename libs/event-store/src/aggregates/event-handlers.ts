/** A handler method of an aggregate: `on<EventType>(data, context)`. */
export type EventHandlerMethod = (this: unknown, data: never, context: never) => void;

const HANDLER_NAME = /^on([A-Z][A-Za-z0-9_]*)$/;
const cache = new WeakMap<object, ReadonlyMap<string, EventHandlerMethod>>();

/**
 * The event handlers of an aggregate class, by event type: every method
 * named `on<EventType>` that the class or its superclasses below `base`
 * define (a subclass's handler wins). Built once per class.
 *
 * Dispatch goes through this map, never through `this['on' + type]`: a
 * stored event type is data, and a property lookup would reach inherited
 * members (`constructor`, `toString`, base-class methods) that are not handlers.
 */
export function eventHandlersOf(aggregateClass: { prototype: object }, base: object): ReadonlyMap<string, EventHandlerMethod> {
  const cached = cache.get(aggregateClass);
  if (cached) return cached;
  const handlers = new Map<string, EventHandlerMethod>();
  for (
    let proto: object | null = aggregateClass.prototype;
    proto && proto !== base && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const eventType = HANDLER_NAME.exec(name)?.[1];
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      // Own data properties only: getters are not handlers, and an override below was seen first.
      if (eventType && typeof descriptor?.value === 'function' && !handlers.has(eventType))
        handlers.set(eventType, descriptor.value as EventHandlerMethod);
    }
  }
  cache.set(aggregateClass, handlers);
  return handlers;
}
