// One aggregate's history, and its state at a chosen version. The state is a
// shallow fold of the payloads (later fields win), which fits the reference
// domain's events; redacted events contribute nothing.
import { html, useState } from './vendor/htm/standalone.module.js';
import { api } from './api.js';
import { EventRow } from './event-details.js';

/** The state after the events up to `version`: each payload's fields over the previous ones. */
export function foldState(events, version) {
  const state = {};
  for (const e of events) if (e.aggregateVersion <= version && !e.isRedacted) Object.assign(state, e.data);
  return state;
}

export function StreamView({ token, roles }) {
  const [aggregateId, setAggregateId] = useState('');
  const [stream, setStream] = useState(null);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState('');

  const load = async (e) => {
    e.preventDefault();
    setError('');
    try {
      const s = await api(token, `/aggregates/${encodeURIComponent(aggregateId.trim())}/events`);
      setStream(s);
      setVersion(s.version);
    } catch (err) {
      setStream(null);
      setError(err.status === 404 ? `No stream '${aggregateId}' in this tenant.` : err.message);
    }
  };
  const replace = (updated) => setStream({ ...stream, items: stream.items.map((e) => (e.eventId === updated.eventId ? updated : e)) });

  return html`<section aria-labelledby="stream-heading">
    <h2 id="stream-heading">Stream</h2>
    <form class="inline" onSubmit=${load}>
      <label for="stream-id">Aggregate id</label>
      <input id="stream-id" required value=${aggregateId} onInput=${(e) => setAggregateId(e.target.value)} />
      <button type="submit">Show history</button>
    </form>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    ${
      stream &&
      html`<div class="stream">
        <p>${stream.aggregateType} <code>${stream.aggregateId}</code>, version ${stream.version}</p>
        <label for="stream-version">State at version <output for="stream-version">${version}</output></label>
        <input
          id="stream-version"
          type="range"
          min="1"
          max=${stream.version}
          value=${version}
          onInput=${(e) => setVersion(Number(e.target.value))}
        />
        <h3>State at version ${version}</h3>
        <pre data-testid="stream-state" tabindex="0" aria-label=${`State at version ${version}`}>
${JSON.stringify(foldState(stream.items, version), null, 2)}</pre>
        <h3>History</h3>
        <ol class="events">
          ${stream.items.map((event) => html`<${EventRow} key=${event.eventId} token=${token} roles=${roles} event=${event} onChange=${replace} />`)}
        </ol>
      </div>`
    }
  </section>`;
}
