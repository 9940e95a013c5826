// One event, expanded: envelope, payload, metadata, version (and the stored
// version it was upcast from), redaction status, and redaction for the DPO.
import { html, useEffect, useState } from './vendor/htm/standalone.module.js';
import { api } from './api.js';

function Json({ value, label }) {
  return html`<pre aria-label=${label} tabindex="0">${JSON.stringify(value, null, 2)}</pre>`;
}

function RedactForm({ token, event, onRedacted }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const id = `reason-${event.eventId}`;
  const submit = async (e) => {
    e.preventDefault();
    setError('');
    try {
      onRedacted(await api(token, `/events/${event.eventId}/redaction`, { method: 'POST', body: { reason } }));
    } catch (err) {
      setError(err.message);
    }
  };
  return html`<form class="inline" onSubmit=${submit}>
    <label for=${id}>Reason for redaction</label>
    <input id=${id} required maxlength="1000" value=${reason} onInput=${(e) => setReason(e.target.value)} />
    <button type="submit">Redact this event</button>
    ${error && html`<p role="alert" class="error">${error}</p>`}
  </form>`;
}

/** The details panel of an event; `onChange` receives the event after a redaction. */
export function EventDetails({ token, roles, event, onChange }) {
  const [stored, setStored] = useState(null);
  useEffect(() => {
    let live = true;
    api(token, `/events/${event.eventId}/as-stored`)
      .then((raw) => live && setStored(raw))
      .catch(() => live && setStored(undefined));
    return () => {
      live = false;
    };
  }, [event.eventId, event.isRedacted]);
  const upcast = stored && stored.eventVersion !== event.eventVersion;
  return html`<div class="details" data-testid="event-details">
    <dl>
      <dt>Event id</dt>
      <dd><code>${event.eventId}</code></dd>
      <dt>Stream</dt>
      <dd>${event.aggregateType} <code>${event.aggregateId}</code>, version ${event.aggregateVersion}</dd>
      <dt>Schema version</dt>
      <dd data-testid="schema-version">
        v${event.eventVersion}${upcast ? ` (upcast from stored v${stored.eventVersion})` : stored ? ' (as stored)' : ''}
      </dd>
      <dt>Global position</dt>
      <dd>${event.globalPosition}</dd>
      <dt>Occurred / stored</dt>
      <dd>${event.occurredAt} / ${event.storedAt}</dd>
      <dt>Redaction</dt>
      <dd data-testid="redaction-status">${event.isRedacted ? `redacted at ${event.redactedAt}` : 'not redacted'}</dd>
    </dl>
    <h4>Payload</h4>
    <${Json} value=${event.data} label="Payload" />
    <h4>Metadata</h4>
    <${Json} value=${event.metadata} label="Metadata" />
    ${roles.includes('dpo') && !event.isRedacted && html`<${RedactForm} token=${token} event=${event} onRedacted=${onChange} />`}
  </div>`;
}

/** One row of an event list: a summary button that expands the details. */
export function EventRow({ token, roles, event, onChange }) {
  const [open, setOpen] = useState(false);
  const panel = `details-${event.eventId}`;
  return html`<li class=${event.isRedacted ? 'event redacted' : 'event'} data-event-id=${event.eventId}>
    <button type="button" class="summary" aria-expanded=${open ? 'true' : 'false'} aria-controls=${panel} onClick=${() => setOpen(!open)}>
      <span class="type">${event.eventType}</span>
      <span class="stream">${event.aggregateId} v${event.aggregateVersion}</span>
      <time datetime=${event.occurredAt}>${event.occurredAt.replace('T', ' ').slice(0, 19)}</time>
      ${event.isRedacted && html`<span class="badge">redacted</span>`}
    </button>
    <div id=${panel} hidden=${!open}>
      ${open && html`<${EventDetails} token=${token} roles=${roles} event=${event} onChange=${onChange} />`}
    </div>
  </li>`;
}
