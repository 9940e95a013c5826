import { buildCountEventsQuery, buildQueryEventsQuery } from './query-events.sql';

describe('buildQueryEventsQuery', () => {
  const hostile = "x'; DROP TABLE stored_domain_events; --";

  it('keeps every input out of the SQL text', () => {
    const filter = {
      eventTypes: [hostile],
      aggregateType: hostile,
      aggregateId: hostile,
      keyword: hostile,
      correlationId: hostile,
      userId: hostile,
      from: new Date(0),
      to: new Date(1),
    };
    const query = buildQueryEventsQuery(hostile, filter, { transactionId: '5', globalPosition: '9' }, 10, 'asc');
    expect(query.text).not.toContain('DROP');
    expect(query.values).toContain(hostile);
    expect(query.values[query.values.length - 1]).toBe(11);
    expect(buildCountEventsQuery(hostile, filter).text).not.toContain('DROP');
  });

  it('escapes LIKE wildcards of the keyword', () => {
    const query = buildQueryEventsQuery('acme', { keyword: '50%_off\\' }, null, 10, 'asc');
    expect(query.values).toContain('%50\\%\\_off\\\\%');
  });

  it('reads past the cursor in the requested direction, in the gap-safe order', () => {
    const desc = buildQueryEventsQuery('acme', {}, { transactionId: '5', globalPosition: '9' }, 10, 'desc');
    expect(desc.text).toMatch(/\(transaction_id, global_position\) < \(\$2::xid8, \$3::bigint\)/);
    expect(desc.text).toMatch(/ORDER BY transaction_id DESC, global_position DESC/);
    expect(desc.text).toContain('transaction_id < (SELECT event_store_read_horizon())');
  });
});
