// Subscriptions and projections with their lag, and the tenant's dead letters
// with retry (writer role). Polls every few seconds while open.
import { html, useEffect, useState } from './vendor/htm/standalone.module.js';
import { api } from './api.js';

const POLL_MS = 3000;

export function DeliveryView({ token, roles }) {
  const [subscriptions, setSubscriptions] = useState(null);
  const [letters, setLetters] = useState([]);
  const [error, setError] = useState('');
  const [result, setResult] = useState('');
  const [updatedAt, setUpdatedAt] = useState(null);

  const refresh = async () => {
    try {
      const [subs, dead] = await Promise.all([api(token, '/delivery/subscriptions'), api(token, '/delivery/dead-letters')]);
      setSubscriptions(subs.items);
      setLetters(dead.items);
      setUpdatedAt(new Date());
      setError('');
    } catch (err) {
      setError(err.message);
    }
  };
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [token]);

  const retry = async (subscription, ids) => {
    setResult('');
    try {
      const r = await api(token, '/delivery/dead-letters/retry', { method: 'POST', body: ids ? { subscription, ids } : { subscription } });
      setResult(`Retry of ${subscription}: ${r.succeeded} succeeded, ${r.failed} failed again.`);
      await refresh();
    } catch (err) {
      setResult(`Retry failed: ${err.message}`);
    }
  };
  const canRetry = roles.includes('writer');

  return html`<section aria-labelledby="delivery-heading">
    <h2 id="delivery-heading">Delivery</h2>
    <p class="status">
      Updated every ${POLL_MS / 1000} s${updatedAt ? `; last at ${updatedAt.toLocaleTimeString()}` : ''}. Lag counts events of every tenant.
    </p>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    <p aria-live="polite" data-testid="retry-result">${result}</p>
    <h3>Subscriptions and projections</h3>
    ${
      subscriptions &&
      html`<div class="table-wrap" tabindex="0" role="region" aria-label="Subscriptions and projections">
        <table data-testid="subscriptions">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Checkpoint</th>
              <th scope="col">Head</th>
              <th scope="col">Behind</th>
              <th scope="col">Lease</th>
              <th scope="col">Dead letters</th>
            </tr>
          </thead>
          <tbody>
            ${subscriptions.map(
              (s) =>
                html`<tr>
                  <th scope="row">${s.name}</th>
                  <td>${s.kind}</td>
                  <td>${s.checkpointPosition ?? '–'}</td>
                  <td>${s.headPosition}</td>
                  <td>${s.eventsBehind}</td>
                  <td>${s.owner ?? '–'}</td>
                  <td>
                    ${s.deadLetters}${canRetry && s.deadLetters > 0 && html` <button type="button" onClick=${() => retry(s.name)}>Retry all</button>`}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`
    }
    <h3>Dead letters of this tenant</h3>
    ${
      letters.length === 0
        ? html`<p>None.</p>`
        : html`<ul class="letters" data-testid="dead-letters">
            ${letters.map(
              (d) =>
                html`<li>
                  <strong>${d.subscriptionName}</strong>${`: ${d.eventType} `}<code>${d.eventId}</code>
                  ${` at ${d.globalPosition}, ${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'}`}<br /><span class="error-text"
                    >${d.error}</span
                  >
                  ${canRetry && html` <button type="button" onClick=${() => retry(d.subscriptionName, [d.id])}>Retry</button>`}
                </li>`,
            )}
          </ul>`
    }
  </section>`;
}
