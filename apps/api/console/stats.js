// Statistics as SVG bar charts: events per type (GET /api/events/stats) and
// per day of the last 30 days (counted from GET /api/events pages, at most
// MAX_EVENTS events; the chart says when it stopped short).
import { html, useEffect, useState } from './vendor/htm/standalone.module.js';
import { api, queryString } from './api.js';

const DAYS = 30;
const MAX_EVENTS = 20000;

function BarChart({ title, rows }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowHeight = 22;
  const height = rows.length * rowHeight + 4;
  return html`<figure>
    <figcaption>${title}</figcaption>
    <svg role="img" aria-label=${title} viewBox=${`0 0 600 ${height}`} preserveAspectRatio="xMinYMin meet">
      ${rows.map(
        (r, i) =>
          html`<g>
            <title>${r.label}: ${r.value}</title>
            <text x="0" y=${i * rowHeight + 15} class="chart-label">${r.label}</text>
            <rect x="240" y=${i * rowHeight + 3} height="16" width=${Math.max(1, (r.value / max) * 300)} class="bar" />
            <text x=${245 + (r.value / max) * 300} y=${i * rowHeight + 15} class="chart-value">${r.value}</text>
          </g>`,
      )}
    </svg>
    <${DataTable} title=${title} rows=${rows} />
  </figure>`;
}

// The figures of a chart as a table, for screen readers (both charts carry one).
function DataTable({ title, rows }) {
  return html`<table class="visually-hidden">
    <caption>
      ${title}
    </caption>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            <th scope="row">${r.label}</th>
            <td>${r.value}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

// One column per day; every fifth day is labelled (the table beside it has them all).
function ColumnChart({ title, rows }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const width = 16;
  const plot = 120;
  return html`<figure>
    <figcaption>${title}</figcaption>
    <svg role="img" aria-label=${title} viewBox=${`0 0 ${rows.length * width + 70} ${plot + 40}`} preserveAspectRatio="xMinYMin meet">
      <text x="0" y="10" class="chart-value">${max}</text>
      ${rows.map((r, i) => {
        const h = (r.value / max) * plot;
        return html`<g>
          <title>${r.label}: ${r.value}</title>
          <rect x=${30 + i * width} y=${plot + 12 - h} width=${width - 3} height=${Math.max(h, 0.5)} class="bar" />
          ${i % 5 === 0 || i === rows.length - 1 ? html`<text x=${30 + i * width} y=${plot + 30} class="chart-label">${r.label.slice(5)}</text>` : null}
        </g>`;
      })}
    </svg>
    <${DataTable} title=${title} rows=${rows} />
  </figure>`;
}

async function countPerDay(token) {
  const since = new Date(Date.now() - (DAYS - 1) * 86_400_000);
  since.setUTCHours(0, 0, 0, 0);
  const counts = new Map();
  for (let d = 0; d < DAYS; d++) counts.set(new Date(since.getTime() + d * 86_400_000).toISOString().slice(0, 10), 0);
  let cursor = null;
  let seen = 0;
  let complete = true;
  for (;;) {
    const page = await api(token, `/events${queryString({ from: since.toISOString(), limit: 1000, cursor })}`);
    for (const e of page.items) {
      const day = e.occurredAt.slice(0, 10);
      if (counts.has(day)) counts.set(day, counts.get(day) + 1);
    }
    seen += page.items.length;
    if (!page.hasMore) break;
    if (seen >= MAX_EVENTS) {
      complete = false;
      break;
    }
    cursor = page.nextCursor;
  }
  return { rows: [...counts].map(([label, value]) => ({ label, value })), complete };
}

export function StatsView({ token }) {
  const [stats, setStats] = useState(null);
  const [daily, setDaily] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api(token, '/events/stats')
      .then(setStats)
      .catch((err) => setError(err.message));
    countPerDay(token)
      .then(setDaily)
      .catch((err) => setError(err.message));
  }, [token]);
  const byType = stats ? Object.entries(stats.byEventType).map(([label, value]) => ({ label, value })) : [];
  return html`<section aria-labelledby="stats-heading">
    <h2 id="stats-heading">Statistics</h2>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    ${
      stats &&
      html`<p data-testid="stats-summary">
          ${stats.totalEvents} events, ${stats.redactedEvents} redacted; first ${stats.firstEventAt ?? '–'}, last
          ${stats.lastEventAt ?? '–'}
        </p>
        <${BarChart} title="Events per type" rows=${byType.sort((a, b) => b.value - a.value)} />`
    }
    ${
      daily &&
      html`<${ColumnChart}
        title=${`Events per day, last ${DAYS} days (UTC)${daily.complete ? '' : `, first ${MAX_EVENTS} events only`}`}
        rows=${daily.rows}
      />`
    }
  </section>`;
}
