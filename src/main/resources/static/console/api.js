// The HTTP API as the console uses it. The API key lives in this tab's sessionStorage only: never
// localStorage, never a cookie, so it goes when the tab does and no other site's request carries it.

const KEY_ITEM = 'ganserve.apiKey';

export const key = {
  get: () => sessionStorage.getItem(KEY_ITEM) || '',
  set: (value) => value ? sessionStorage.setItem(KEY_ITEM, value) : sessionStorage.removeItem(KEY_ITEM),
};

/** A refusal or failure, with the problem+json body when the server sent one. */
export class ApiError extends Error {
  constructor(status, problem, fallback) {
    super((problem && (problem.detail || problem.title)) || fallback || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || null;
  }

  /** field → rule, from `field`/`rule` and `errors[]`. */
  fieldErrors() {
    const out = new Map();
    const p = this.problem;
    if (!p) return out;
    for (const e of Array.isArray(p.errors) ? p.errors : []) {
      if (e && e.field) out.set(String(e.field), String(e.rule || e.message || p.detail || ''));
    }
    if (p.field && !out.has(p.field)) out.set(String(p.field), String(p.rule || p.detail || ''));
    return out;
  }
}

function headers(extra) {
  const h = new Headers(extra || {});
  const k = key.get();
  if (k) h.set('X-API-Key', k);
  return h;
}

async function failure(response) {
  let problem = null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try { problem = await response.json(); } catch { problem = null; }
  }
  return new ApiError(response.status, problem, response.status === 401 ? 'an API key is needed'
    : response.status === 403 ? 'this API key may not do that' : `${response.status} ${response.statusText}`);
}

export async function request(method, path, body) {
  const init = { method, headers: headers({ Accept: 'application/json' }), cache: 'no-store' };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.headers.set('Content-Type', 'application/json');
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (!response.ok) throw await failure(response);
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const put = (path, body) => request('PUT', path, body);
export const del = (path) => request('DELETE', path);

/** A PNG answer as a blob: URL, with the headers that describe it (X-Columns: the figure's columns). */
async function picture(response) {
  if (!response.ok) throw await failure(response);
  const blob = await response.blob();
  const columns = response.headers.get('X-Columns');
  return { url: URL.createObjectURL(blob), seed: response.headers.get('X-Seed'), model: response.headers.get('X-Model'),
    columns: columns ? columns.split(',').map((c) => c.trim()).filter(Boolean) : [], bytes: blob.size };
}

/**
 * A PNG from the API as a blob: URL (an <img src> cannot send the key), with the headers that
 * describe it; the caller revokes the URL when the image goes.
 */
export async function image(path) {
  return picture(await fetch(path, { headers: headers({ Accept: 'image/png' }), cache: 'no-store' }));
}

/** A PNG answered to a POST (a multipart upload), as image() does it for GET. */
export async function postImage(path, body) {
  return picture(await fetch(path, { method: 'POST', body, headers: headers({ Accept: 'image/png' }), cache: 'no-store' }));
}

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const text = q.toString();
  return text ? '?' + text : '';
}
