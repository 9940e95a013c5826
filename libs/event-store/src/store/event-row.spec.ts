import { EVENT_COLUMNS, columnsToCheckpointedEvent } from './event-row';

describe('columnsToCheckpointedEvent', () => {
  it('reads every field from its column of EVENT_COLUMNS', () => {
    // Each column holds its own name: the event then shows which column each field came from.
    const names = EVENT_COLUMNS.split(',').map((name) => name.trim());
    const event = columnsToCheckpointedEvent(names);
    expect(event).toEqual({
      globalPosition: 'global_position',
      eventId: 'event_id',
      tenantId: 'tenant_id',
      aggregateType: 'aggregate_type',
      aggregateId: 'aggregate_id',
      aggregateVersion: 'aggregate_version',
      eventType: 'event_type',
      eventVersion: 'event_version',
      occurredAt: 'occurred_at',
      storedAt: 'stored_at',
      data: 'data',
      metadata: 'metadata',
      transactionId: 'transaction_id',
      isRedacted: 'is_redacted',
      redactedAt: 'redacted_at',
      checkpoint: { transactionId: 'transaction_id', globalPosition: 'global_position' },
    });
  });
});
