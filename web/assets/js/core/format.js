// Display formats: numbers, durations, dates and the words for statuses.

const numberFormat = new Intl.NumberFormat('en-US');
export const num = (n) => numberFormat.format(Number(n) || 0);

export function pct(ratio) {
  const value = Number(ratio) || 0;
  return `${(value * 100).toFixed(value >= 0.1 || value === 0 ? 0 : 1)}%`;
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function duration(seconds) {
  const s = Math.max(0, Math.floor(Number(seconds) || 0));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = String(s % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}

export function dateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString('en-GB', { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function date(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : d.toLocaleDateString('en-GB', { day: '2-digit', month: 'short', year: 'numeric' });
}

/** YYYY-MM-DD of a Date in UTC (the API's days are UTC days). */
export function isoDay(d) { return d.toISOString().slice(0, 10); }

export const leadStatuses = ['pending', 'claimed', 'calling', 'answered', 'transferred', 'failed'];
export const priorities = ['urgent', 'high', 'medium', 'low'];
export const callStatuses = ['initiated', 'ringing', 'answered', 'completed', 'busy', 'no-answer', 'failed', 'canceled'];
export const LIVE_STATUSES = ['initiated', 'ringing', 'answered'];

export function label(word) {
  if (!word) return '—';
  const text = String(word).replace(/[-_]/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function roleLabel(role) {
  return role === 'admin' ? 'Admin' : 'Operator';
}
