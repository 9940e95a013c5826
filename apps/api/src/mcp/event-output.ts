import { z } from 'zod';
import { StoredDomainEvent } from '@nest-event-store/core';

/** A stored event as the tools return it: snake_case, positions as strings, dates as ISO-8601. */
export const eventOutputSchema = z.object({
  event_id: z.string(),
  aggregate_type: z.string(),
  aggregate_id: z.string(),
  aggregate_version: z.number().int(),
  event_type: z.string(),
  event_version: z.number().int(),
  global_position: z.string().describe('Position in the store-wide order (64-bit, as a decimal string)'),
  occurred_at: z.string(),
  stored_at: z.string(),
  data: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()),
  is_redacted: z.boolean(),
});

/** The JSON of one event in a tool result. */
export type EventOutput = z.infer<typeof eventOutputSchema>;

/** Maps a stored event to its tool-result form (the tenant is implied by the caller). */
export function toEventOutput(event: StoredDomainEvent): EventOutput {
  return {
    event_id: event.eventId,
    aggregate_type: event.aggregateType,
    aggregate_id: event.aggregateId,
    aggregate_version: event.aggregateVersion,
    event_type: event.eventType,
    event_version: event.eventVersion,
    global_position: event.globalPosition,
    occurred_at: event.occurredAt.toISOString(),
    stored_at: event.storedAt.toISOString(),
    data: event.data,
    metadata: event.metadata,
    is_redacted: event.isRedacted,
  };
}

/** An ISO-8601 date-time argument (`from`, `to`). */
export const dateTimeArgument = (description: string) =>
  z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time, e.g. 2026-01-31T12:00:00Z' }).describe(description);

/** Event type names, as the store accepts them. */
export const eventTypesArgument = z.array(z.string().min(1).max(200)).min(1).max(50);
