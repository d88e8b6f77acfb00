// The wallboard's active-calls table: the MAX_CALL_ROWS longest calls in progress (the rest
// counted below), each with its running duration. Rows are pooled: a render rewrites the texts of
// the rows it keeps and adds or removes rows only when the number of calls shown changes, so a
// busy minute costs text updates, not new nodes. `tick()` advances the durations (once a second).
import { h, replace, setText } from '../core/dom.js';
import { badge, setBadge } from '../ui/badge.js';
import { duration, num } from '../core/format.js';

/** Active calls listed (longest first); the rest are counted below the table. */
export const MAX_CALL_ROWS = 25;
export const CALL_COLUMNS = ['Phone', 'Lead', 'Operator', 'Status', 'Duration'];

export function callsTable(model) {
  const body = h('tbody');
  const more = h('p', { class: 'muted', hidden: true });
  const table = h('table', { class: 'table table-fixed', 'aria-label': 'Active calls' },
    h('colgroup', {}, ['col-w1', 'col-w2', 'col-w3', 'col-w4', 'col-w5'].map((c) => h('col', { class: c }))),
    h('thead', {}, h('tr', {}, CALL_COLUMNS.map((t) => h('th', { scope: 'col' }, t)))), body);
  const empty = h('tr', {}, h('td', { colspan: CALL_COLUMNS.length, class: 'empty' }, 'No calls in progress'));
  const pool = [];   // {row, phone, name, operator, status, time, since}
  let shown = -1;

  function slot(i) {
    if (!pool[i]) {
      const s = { phone: h('td'), name: h('td', { class: 'wrap' }), operator: h('td', { class: 'wrap' }), status: badge(''), time: h('td', { class: 'num' }), since: 0 };
      s.row = h('tr', {}, s.phone, s.name, s.operator, h('td', {}, s.status), s.time);
      pool[i] = s;
    }
    return pool[i];
  }

  function render(now = Date.now()) {
    const all = [...model.calls.values()].sort((a, b) => a.since - b.since);
    const rows = all.slice(0, MAX_CALL_ROWS);
    more.hidden = all.length <= rows.length;
    setText(more, `and ${num(all.length - rows.length)} more calls in progress`);
    rows.forEach((c, i) => {
      const s = slot(i);
      s.since = c.since;
      s.row.dataset.callId = c.callId;
      setText(s.phone, c.phone || '—');
      setText(s.name, c.name || '—');
      setText(s.operator, model.operators.get(c.operatorId)?.name || (c.operatorId ? '—' : 'Unassigned'));
      setBadge(s.status, c.status);
      setText(s.time, duration((now - c.since) / 1000));
    });
    if (rows.length !== shown) {
      shown = rows.length;
      replace(body, rows.length ? pool.slice(0, rows.length).map((s) => s.row) : empty);
    }
  }

  function tick(now = Date.now()) {
    for (let i = 0; i < Math.max(0, shown); i += 1) setText(pool[i].time, duration((now - pool[i].since) / 1000));
  }
  return { table, more, render, tick };
}
