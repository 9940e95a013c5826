import { DiscoveryService } from '@nestjs/core';
import { EventData, StoredDomainEvent } from '../types/stored-domain-event';
import { EventVersionInput } from './event-version';

/** Which step an `@EventUpcaster` provider performs. */
export interface EventUpcasterOptions {
  eventType: string;
  /** Version it reads (2 or 'v2'). */
  fromVersion: EventVersionInput;
  /** Version it produces: always `fromVersion + 1`. */
  toVersion: EventVersionInput;
}

/**
 * A provider that lifts one event type's payload by one version. Like every
 * migration it must be pure and deterministic: it receives its own copy of
 * the payload and a read-only view of the event, and takes defaults from the
 * event's own fields (e.g. `event.occurredAt`), never from the clock or
 * randomness, so that every replay yields the same result.
 */
export interface EventUpcasterHandler {
  upcast(data: EventData, event: Readonly<StoredDomainEvent>): EventData;
}

/**
 * Marks a provider as the migration `fromVersion → toVersion` of `eventType`.
 * The store finds such providers at module start (declare them with
 * `EventStoreModule.forFeature({ upcasters: [...] })` or in any module).
 *
 * ```ts
 * @EventUpcaster({ eventType: 'RequirementApproved', fromVersion: 1, toVersion: 2 })
 * export class RequirementApprovedV1ToV2 implements EventUpcasterHandler {
 *   upcast(data: EventData) { return { ...data, approverRole: 'REVIEWER' }; }
 * }
 * ```
 */
export const EventUpcaster = DiscoveryService.createDecorator<EventUpcasterOptions>();
