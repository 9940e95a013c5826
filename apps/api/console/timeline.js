// The tenant's events in global order, with the audit filters of
// GET /api/events and infinite scroll on its cursor.
import { html, useEffect, useRef, useState } from './vendor/htm/standalone.module.js';
import { api, queryString } from './api.js';
import { EventRow } from './event-details.js';

const PAGE_SIZE = 50;
const EMPTY = { eventType: '', aggregateType: '', aggregateId: '', from: '', to: '', q: '', correlationId: '', userId: '' };
const FIELDS = [
  ['eventType', 'Event types (comma-separated)'],
  ['aggregateType', 'Aggregate type'],
  ['aggregateId', 'Aggregate id'],
  ['from', 'Occurred from', 'datetime-local'],
  ['to', 'Occurred before', 'datetime-local'],
  ['q', 'Keyword in payload'],
  ['correlationId', 'Correlation id'],
  ['userId', 'User'],
];

function toQuery(filter) {
  const iso = (local) => (local ? new Date(local).toISOString() : '');
  return { ...filter, from: iso(filter.from), to: iso(filter.to) };
}

export function TimelineView({ token, roles }) {
  const [draft, setDraft] = useState(EMPTY);
  const [filter, setFilter] = useState(EMPTY);
  const [items, setItems] = useState([]);
  const [cursor, setCursor] = useState(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  const sentinel = useRef(null);
  const generation = useRef(0);

  const load = async (reset) => {
    const gen = reset ? ++generation.current : generation.current;
    setLoading(true);
    setError('');
    try {
      const page = await api(token, `/events${queryString({ ...toQuery(filter), limit: PAGE_SIZE, cursor: reset ? null : cursor })}`);
      if (gen !== generation.current) return;
      setItems((prev) => (reset ? page.items : [...prev, ...page.items]));
      setCursor(page.nextCursor);
      setHasMore(page.hasMore);
    } catch (err) {
      if (gen === generation.current) setError(err.message);
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    load(true);
  }, [filter]);

  // Infinite scroll: the next page loads when the end of the list comes into view.
  useEffect(() => {
    if (!sentinel.current || !hasMore) return undefined;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !loading) load(false);
    });
    observer.observe(sentinel.current);
    return () => observer.disconnect();
  }, [hasMore, loading, cursor]);

  const replace = (updated) => setItems((prev) => prev.map((e) => (e.eventId === updated.eventId ? updated : e)));
  const submit = (e) => {
    e.preventDefault();
    setFilter({ ...draft });
  };
  const clear = () => {
    setDraft(EMPTY);
    setFilter(EMPTY);
  };

  return html`<section aria-labelledby="timeline-heading">
    <h2 id="timeline-heading">Timeline</h2>
    <form class="filters" onSubmit=${submit} aria-label="Filters">
      ${FIELDS.map(
        ([name, label, type]) =>
          html`<div class="field">
            <label for=${`f-${name}`}>${label}</label>
            <input
              id=${`f-${name}`}
              name=${name}
              type=${type ?? 'text'}
              value=${draft[name]}
              onInput=${(e) => setDraft({ ...draft, [name]: e.target.value })}
            />
          </div>`,
      )}
      <div class="actions">
        <button type="submit">Apply filters</button>
        <button type="button" onClick=${clear}>Clear</button>
      </div>
    </form>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    <p aria-live="polite" class="status" data-testid="timeline-count">${items.length} event(s) shown${hasMore ? ', more below' : ''}</p>
    <ol class="events" data-testid="timeline">
      ${items.map((event) => html`<${EventRow} key=${event.eventId} token=${token} roles=${roles} event=${event} onChange=${replace} />`)}
    </ol>
    ${
      hasMore &&
      html`<div ref=${sentinel} class="more">
        <button type="button" disabled=${loading} onClick=${() => load(false)}>${loading ? 'Loading…' : 'Load more'}</button>
      </div>`
    }
  </section>`;
}
