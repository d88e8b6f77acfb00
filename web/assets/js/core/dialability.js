// A lead's `dialability` (GET /api/leads/:id, issue 17) in words a supervisor can act on.
// Pure: takes the object the API returns and a date formatter, returns
// { callable, headline, details[] }. The reasons and their fields are those of
// docs/ipc/queue.md (`queue.explain_leads`), in the order dispatch checks them.

const REASON_TEXT = {
  paused: () => 'The queue is paused',
  dialer_unavailable: () => 'The dialer is not connected',
  not_pending: (r) => (r.status === 'deleted' ? 'The lead is deleted' : `The lead is ${words(r.status || 'not pending')}`),
  claimed: (r) => `Claimed by operator ${r.operatorId || '?'}`,
  do_not_call: () => 'On the do-not-call list: never dialed',
  callback_reserved: (r, at) => `Call-back reserved for operator ${r.operatorId || '?'}${until(r, at)}`,
  unknown_timezone: () => 'Time zone unknown: calling hours cannot be checked',
  retry_wait: (r, at) => `Waiting to retry${until(r, at)}`,
  outside_calling_hours: (r, at) => `Outside calling hours${r.localTime ? ` (local time ${r.localTime})` : ''}${until(r, at, 'opens')}`,
  daily_cap: (r, at) => `Daily attempt cap reached${until(r, at)}`,
  max_attempts: () => 'All attempts used',
  waiting_for_line: () => 'Waiting for a free line',
  waiting_for_operator: () => 'Waiting for an available operator',
};

function words(code) { return String(code).replace(/[-_]/g, ' '); }

function until(reason, at, verb = 'until') {
  return reason.until ? ` ${verb} ${at(reason.until)}` : '';
}

/** One reason → one sentence; an unknown code is shown as its words, never dropped. */
export function reasonText(reason, at = (iso) => iso) {
  if (!reason || typeof reason.reason !== 'string') return 'Unknown reason';
  const text = REASON_TEXT[reason.reason];
  return text ? text(reason, at) : words(reason.reason).replace(/^./, (c) => c.toUpperCase());
}

/** The whole verdict: null (the queue did not answer in time) is said as such. */
export function describeDialability(d, at = (iso) => iso) {
  if (!d || typeof d !== 'object') {
    return { callable: null, headline: 'Unknown: the queue did not answer', details: [] };
  }
  const reasons = Array.isArray(d.reasons) ? d.reasons : [];
  if (d.callable) return { callable: true, headline: 'Callable now', details: [] };
  const details = reasons.map((r) => reasonText(r, at));
  const headline = details[0] || (d.firstReason ? reasonText({ reason: d.firstReason }, at) : 'Not callable');
  const next = d.nextCallableAt ? `Callable again at ${at(d.nextCallableAt)}` : null;
  return { callable: false, headline, details: next ? [...details.slice(1), next] : details.slice(1) };
}
