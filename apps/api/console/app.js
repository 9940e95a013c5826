// The audit console: sign-in, then one view at a time. Preact + htm from the
// `htm` package, served as one ES module; no build step.
import { html, render, useState } from './vendor/htm/standalone.module.js';
import { api, readClaims } from './api.js';
import { DeliveryView } from './delivery.js';
import { GdprView } from './gdpr.js';
import { StatsView } from './stats.js';
import { StreamView } from './stream.js';
import { TimelineView } from './timeline.js';

const TOKEN_KEY = 'event-store-console-token';

// Each view and the roles that may open it (the API checks them again).
const VIEWS = [
  { id: 'timeline', label: 'Timeline', roles: ['auditor'], component: TimelineView },
  { id: 'stream', label: 'Stream', roles: ['auditor'], component: StreamView },
  { id: 'stats', label: 'Statistics', roles: ['auditor'], component: StatsView },
  { id: 'delivery', label: 'Delivery', roles: ['auditor', 'writer'], component: DeliveryView },
  { id: 'gdpr', label: 'GDPR', roles: ['dpo'], component: GdprView },
];

function SignIn({ onToken }) {
  const [token, setToken] = useState('');
  const [tenantId, setTenantId] = useState('acme');
  const [error, setError] = useState('');
  const submit = (e) => {
    e.preventDefault();
    const value = token.trim();
    if (!readClaims(value)) return setError('This is not a token of this API (no tenant_id claim).');
    onToken(value);
  };
  const mint = async () => {
    setError('');
    try {
      const { token } = await api(null, '/console/dev-token', { method: 'POST', body: { tenantId, roles: ['auditor', 'writer', 'dpo'] } });
      onToken(token);
    } catch (err) {
      setError(err.status === 404 ? 'Development sign-in is off (NODE_ENV=production): paste a token.' : err.message);
    }
  };
  return html`<main class="sign-in">
    <h1>Audit console</h1>
    <form onSubmit=${submit}>
      <label for="token">Bearer token</label>
      <textarea
        id="token"
        rows="4"
        value=${token}
        onInput=${(e) => setToken(e.target.value)}
        placeholder="npm run token -- --tenant acme --roles auditor"
      ></textarea>
      <button type="submit">Sign in</button>
    </form>
    <section aria-labelledby="dev-heading" class="dev">
      <h2 id="dev-heading">Development</h2>
      <label for="dev-tenant">Tenant</label>
      <input id="dev-tenant" value=${tenantId} onInput=${(e) => setTenantId(e.target.value)} />
      <button type="button" onClick=${mint}>Mint a development token</button>
    </section>
    ${error && html`<p role="alert" class="error">${error}</p>`}
  </main>`;
}

function Console({ token, onSignOut }) {
  const claims = readClaims(token);
  const views = VIEWS.filter((v) => v.roles.some((r) => claims.roles.includes(r)));
  const [current, setCurrent] = useState(views[0]?.id);
  const view = views.find((v) => v.id === current);
  const View = view?.component;
  return html`<div class="shell">
    <header>
      <h1>Audit console</h1>
      <p class="who">
        Tenant <strong data-testid="tenant">${claims.tenantId}</strong> · ${claims.sub} · ${claims.roles.join(', ') || 'no roles'}
        <button type="button" class="link" onClick=${onSignOut}>Sign out</button>
      </p>
      <nav aria-label="Views">
        ${views.map(
          (v) =>
            html`<button type="button" aria-current=${v.id === current ? 'page' : undefined} onClick=${() => setCurrent(v.id)}>
              ${v.label}
            </button>`,
        )}
      </nav>
    </header>
    <main id="view" tabindex="-1">
      ${View ? html`<${View} token=${token} roles=${claims.roles} />` : html`<p>This token has no role the console can use.</p>`}
    </main>
  </div>`;
}

function App() {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY));
  const signIn = (value) => {
    sessionStorage.setItem(TOKEN_KEY, value);
    setToken(value);
  };
  const signOut = () => {
    sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
  };
  return token && readClaims(token) ? html`<${Console} token=${token} onSignOut=${signOut} />` : html`<${SignIn} onToken=${signIn} />`;
}

const root = document.getElementById('app');
root.textContent = ''; // the "Loading" line; Preact renders beside what it did not create
render(html`<${App} />`, root);
