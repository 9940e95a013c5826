// Calls to the REST API with the signed-in token. Every error answer of the
// API has { statusCode, message, code? }; it becomes an ApiError.

/** An error answer of the API. */
export class ApiError extends Error {
  constructor(status, body) {
    const message = Array.isArray(body?.message) ? body.message.join('; ') : (body?.message ?? `HTTP ${status}`);
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** Fetches `path` (under /api) as JSON with the bearer token; throws ApiError on 4xx/5xx. */
export async function api(token, path, options = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`/api${path}`, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

/** A query string from an object, leaving out empty values. */
export function queryString(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) value.filter(Boolean).forEach((v) => q.append(key, v));
    else if (value !== undefined && value !== null && value !== '') q.set(key, String(value));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * The claims of a token, for display only (tenant, roles, expiry): the API
 * verifies the signature on every call, the console never trusts these.
 */
export function readClaims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(part));
    if (typeof claims.tenant_id !== 'string') return null;
    return { tenantId: claims.tenant_id, sub: claims.sub, roles: Array.isArray(claims.roles) ? claims.roles : [], exp: claims.exp };
  } catch {
    return null;
  }
}
