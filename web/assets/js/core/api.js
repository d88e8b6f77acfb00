// The REST client: JSON in and out with the Bearer token, errors as ApiError with the API's
// `{error, message}` words, a 401 ends the session (the app shows the login page), and uploads
// through XMLHttpRequest because only it reports upload progress.
import * as session from './session.js';

export class ApiError extends Error {
  constructor(status, body) {
    const message = (body && (body.message || body.error)) || `Request failed (HTTP ${status})`;
    super(message);
    this.status = status;
    this.error = body && body.error;
    this.body = body;
  }
  /** The API's short error and detail in one sentence for the user. */
  get text() {
    if (this.status === 0) return 'The server cannot be reached. Check the connection and try again.';
    if (this.status === 429) return 'Too many requests: the server asks to wait a little. ' + (this.body?.message || '');
    if (this.error && this.message && this.error !== this.message) return `${this.error}: ${this.message}`;
    return this.message;
  }
}

function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** When the server's rate limit lets us ask again (ms since the epoch); 0 when not limited. */
export let rateLimitedUntil = 0;
const rateLimitListeners = new Set();
export function onRateLimit(fn) { rateLimitListeners.add(fn); return () => rateLimitListeners.delete(fn); }

/** Requests kept back for what the user does (saving an outcome) when pacing background reloads. */
export const RATE_RESERVE = 10;
let budget = null;   // {remaining, resetAt} from the last RateLimit-* headers

/**
 * How long background reloads should wait between requests so that they spend what is left of
 * the rate-limit window evenly (0 without a limit): a wallboard under the default 100 requests
 * per 15 minutes slows down instead of being refused.
 */
export function budgetGapMs() {
  if (!budget) return 0;
  const left = budget.resetAt - Date.now();
  if (left <= 0) return 0;
  const spendable = budget.remaining - RATE_RESERVE;
  return spendable <= 0 ? left : left / spendable;
}

function noteBudget(response) {
  const remaining = Number(response.headers.get('RateLimit-Remaining'));
  const reset = Number(response.headers.get('RateLimit-Reset'));
  budget = response.headers.has('RateLimit-Remaining') && Number.isFinite(remaining) && Number.isFinite(reset)
    ? { remaining, resetAt: Date.now() + reset * 1000 } : null;
}

function limited(response) {
  const seconds = Number(response.headers.get('Retry-After')) || 60;
  rateLimitedUntil = Date.now() + seconds * 1000;
  for (const fn of rateLimitListeners) fn(rateLimitedUntil);
}

function unauthorized(body) {
  session.signOut((body && body.message) || 'Your session has ended. Please sign in again.');
}

/**
 * One API call. The answer is parsed as JSON, unless `accept` asks for another type (a CSV
 * export): then a successful answer is returned as text, and an error is still read as JSON.
 */
export async function request(method, path, { body, query, accept = 'application/json' } = {}) {
  const headers = { Accept: accept };
  const tok = session.token();
  if (tok) headers.Authorization = `Bearer ${tok}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(withQuery(path, query), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, null);
  }
  let data = null;
  const text = await response.text();
  if (response.ok && accept !== 'application/json') {
    noteBudget(response);
    return text;
  }
  if (text) {
    try { data = JSON.parse(text); } catch { data = { error: 'Bad response', message: text.slice(0, 200) }; }
  }
  if (response.status === 401 && tok && path !== '/api/auth/login') unauthorized(data);
  noteBudget(response);
  if (response.status === 429) limited(response);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const get = (path, query) => request('GET', path, { query });
export const post = (path, body) => request('POST', path, { body: body ?? {} });
export const put = (path, body) => request('PUT', path, { body: body ?? {} });
export const del = (path) => request('DELETE', path);
export const getText = (path, query, accept = 'text/csv') => request('GET', path, { query, accept });

/**
 * Multipart upload of one file as `field`, with `onProgress(loaded, total)` while the bytes go
 * out. Resolves with the JSON answer; rejects with ApiError.
 */
export function upload(path, field, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    const tok = session.token();
    if (tok) xhr.setRequestHeader('Authorization', `Bearer ${tok}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && onProgress) onProgress(event.loaded, event.total);
    });
    xhr.addEventListener('load', () => {
      let data = null;
      try { data = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { data = null; }
      if (xhr.status === 401 && tok) unauthorized(data);
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(xhr.status, data));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, null)));
    xhr.addEventListener('abort', () => reject(new ApiError(0, { message: 'Upload cancelled' })));
    const form = new FormData();
    form.append(field, file, file.name);
    xhr.send(form);
  });
}
