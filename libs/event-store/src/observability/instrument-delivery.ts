import { StoredDomainEvent } from '../types/stored-domain-event';
import { DeliveryTarget } from '../subscriptions/worker-definition';
import { DeliveryObserver } from './delivery-observer';
import { SPAN, deliveryAttributes } from './span-attributes';
import { withSpan } from './tracer';

/**
 * Wraps a subscriber's `handle` or a projection's `apply` so that each
 * attempt runs in an `event_store.deliver` span (a trace of its own, carrying
 * the event's correlation id as an attribute) and each success is told to
 * the observers. Redactions and resets pass through untouched.
 */
export function instrumentDelivery(name: string, target: DeliveryTarget, observers: ReadonlySet<DeliveryObserver>): DeliveryTarget {
  const observed = async (event: StoredDomainEvent, work: () => Promise<void> | void): Promise<void> => {
    await withSpan(SPAN.deliver, { attributes: deliveryAttributes(name, target.kind, event), root: true }, async () => {
      await work();
    });
    if (observers.size === 0) return;
    const latencySeconds = (Date.now() - new Date(event.storedAt).getTime()) / 1000;
    const observation = {
      subscription: name,
      kind: target.kind,
      eventType: event.eventType,
      globalPosition: event.globalPosition,
      latencySeconds,
    };
    for (const observe of observers) {
      try {
        observe(observation);
      } catch {
        // An observer is telemetry: its failure must not re-deliver the event.
      }
    }
  };
  if (target.kind === 'subscriber') {
    const handle = target.handle.bind(target);
    return { ...target, handle: (event) => observed(event, () => handle(event)) };
  }
  const handler = target.handler;
  return {
    kind: 'projection',
    handler: {
      apply: (event, tx) => observed(event, () => handler.apply(event, tx)),
      reset: (tx) => handler.reset(tx),
      ...(handler.onRedacted ? { onRedacted: handler.onRedacted.bind(handler) } : {}),
    },
  };
}
