import { EventData, EventUpcaster, EventUpcasterHandler, StoredDomainEvent } from '@nest-event-store/core';

/** v1 → v2: approvals before roles existed were made by a reviewer. */
@EventUpcaster({ eventType: 'RequirementApproved', fromVersion: 1, toVersion: 2 })
export class RequirementApprovedV1ToV2 implements EventUpcasterHandler {
  upcast(data: EventData): EventData {
    return { ...data, approverRole: data.approverRole ?? 'REVIEWER' };
  }
}

/** v2 → v3: the approval time is the event's own occurredAt (deterministic on every replay). */
@EventUpcaster({ eventType: 'RequirementApproved', fromVersion: 2, toVersion: 3 })
export class RequirementApprovedV2ToV3 implements EventUpcasterHandler {
  upcast(data: EventData, event: Readonly<StoredDomainEvent>): EventData {
    return { ...data, approvalTimestamp: data.approvalTimestamp ?? event.occurredAt.toISOString() };
  }
}
