// GDPR for the DPO: redact one event by id, erase everything about a data
// subject; each shows what the API answered.
import { html, useState } from './vendor/htm/standalone.module.js';
import { api } from './api.js';

function Result({ value, testId }) {
  if (!value) return null;
  return value.error
    ? html`<p role="alert" class="error" data-testid=${testId}>${value.error}</p>`
    : html`<div role="status" data-testid=${testId}>
        <p>${value.summary}</p>
        <pre tabindex="0">${JSON.stringify(value.body, null, 2)}</pre>
      </div>`;
}

export function GdprView({ token }) {
  const [redact, setRedact] = useState({ eventId: '', reason: '' });
  const [erase, setErase] = useState({ subjectId: '', reason: '' });
  const [redactResult, setRedactResult] = useState(null);
  const [eraseResult, setEraseResult] = useState(null);

  const submitRedact = async (e) => {
    e.preventDefault();
    try {
      const body = await api(token, `/events/${encodeURIComponent(redact.eventId.trim())}/redaction`, {
        method: 'POST',
        body: { reason: redact.reason },
      });
      setRedactResult({ summary: `Event ${body.eventId} is redacted (at ${body.redactedAt}).`, body });
    } catch (err) {
      setRedactResult({ error: err.status === 404 ? `No event '${redact.eventId}' in this tenant.` : err.message });
    }
  };
  const submitErase = async (e) => {
    e.preventDefault();
    try {
      const body = await api(token, '/gdpr/erasure-requests', { method: 'POST', body: erase });
      setEraseResult({ summary: `Subject ${erase.subjectId}: ${body.redactedEvents ?? 0} event(s) redacted.`, body });
    } catch (err) {
      setEraseResult({ error: err.message });
    }
  };
  const field = (state, set, name, label) =>
    html`<div class="field">
      <label for=${`gdpr-${label}`}>${label}</label>
      <input id=${`gdpr-${label}`} required value=${state[name]} onInput=${(e) => set({ ...state, [name]: e.target.value })} />
    </div>`;

  return html`<section aria-labelledby="gdpr-heading">
    <h2 id="gdpr-heading">GDPR</h2>
    <form onSubmit=${submitRedact} aria-labelledby="redact-heading">
      <h3 id="redact-heading">Redact one event</h3>
      ${field(redact, setRedact, 'eventId', 'Event id')} ${field(redact, setRedact, 'reason', 'Redaction reason')}
      <button type="submit">Redact</button>
    </form>
    <${Result} value=${redactResult} testId="redact-result" />
    <form onSubmit=${submitErase} aria-labelledby="erase-heading">
      <h3 id="erase-heading">Erase a data subject</h3>
      ${field(erase, setErase, 'subjectId', 'Subject id')} ${field(erase, setErase, 'reason', 'Erasure reason')}
      <button type="submit">Erase</button>
    </form>
    <${Result} value=${eraseResult} testId="erase-result" />
  </section>`;
}
