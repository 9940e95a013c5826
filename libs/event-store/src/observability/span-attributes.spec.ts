import { appendAttributes, deliveryAttributes } from './span-attributes';

const event = (aggregateId: unknown, metadata: unknown = {}) =>
  ({ aggregateType: 'Ticket', aggregateId, eventType: 'TicketOpened', data: {}, metadata }) as never;

describe('appendAttributes', () => {
  it('names the stream of a single-stream append and counts the streams of a batch across streams', () => {
    expect(appendAttributes([event('a'), event('a')], 'acme', { expectedVersion: 3 })).toEqual({
      'event_store.tenant_id': 'acme',
      'event_store.aggregate_id': 'a',
      'event_store.aggregate_type': 'Ticket',
      'event_store.stream_count': 1,
      'event_store.event_count': 2,
      'event_store.expected_version': '3',
    });
    expect(appendAttributes([event('a', { correlationId: 'c' }), event('b')], 'acme', { expectedVersion: { a: 1, b: 'any' } })).toEqual({
      'event_store.tenant_id': 'acme',
      'event_store.stream_count': 2,
      'event_store.event_count': 2,
      'event_store.expected_version': '{"a":1,"b":"any"}',
      'event_store.correlation_id': 'c',
    });
  });

  it('never throws on input the append has not validated yet (the append reports it)', () => {
    const unprintable = Object.create(null) as unknown;
    expect(() => appendAttributes([event(unprintable)], 'acme')).not.toThrow();
    expect(appendAttributes([event('a')], 'acme', { expectedVersion: { a: BigInt(1) } as never })).toEqual({
      'event_store.event_count': 1,
    });
    expect(appendAttributes([null, 7] as never, 'acme')).toMatchObject({ 'event_store.event_count': 2 });
    expect(appendAttributes([], 'acme')).toEqual({
      'event_store.tenant_id': 'acme',
      'event_store.event_count': 0,
      'event_store.stream_count': 0,
    });
  });
});

describe('deliveryAttributes', () => {
  it('carries the correlation id only when it is a string', () => {
    const stored = { tenantId: 't', eventType: 'E', globalPosition: '9', aggregateId: 'a' };
    expect(deliveryAttributes('sub', 'subscriber', { ...stored, metadata: { correlationId: 42 } } as never)).not.toHaveProperty(
      'event_store.correlation_id',
    );
    expect(deliveryAttributes('sub', 'projection', { ...stored, metadata: { correlationId: 'c' } } as never)).toMatchObject({
      'event_store.subscription': 'sub',
      'event_store.subscription_kind': 'projection',
      'event_store.global_position': '9',
      'event_store.correlation_id': 'c',
    });
  });
});
