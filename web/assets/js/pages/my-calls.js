// My calls: the operator's call history, newest first, filtered by status and date, with notes.
import { h, replace, field, select } from '../core/dom.js';
import * as api from '../core/api.js';
import * as live from '../realtime/live.js';
import { badge } from '../ui/badge.js';
import { pager } from '../ui/pager.js';
import { callStatuses, dateTime, duration, label, LIVE_STATUSES } from '../core/format.js';

export const PAGE_SIZE = 20;

export function mount(root) {
  const state = { page: 1, status: '', startDate: '', endDate: '' };
  const status = select([['', 'All statuses'], ...callStatuses.map((s) => [s, label(s)])], '', { name: 'status' });
  const from = h('input', { type: 'date', name: 'startDate' });
  const to = h('input', { type: 'date', name: 'endDate' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const body = h('tbody');
  const pages = h('div');
  const filters = h('form', { class: 'filters', 'aria-label': 'Filter calls' },
    field('Status', status), field('From', from), field('To', to),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Apply'));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    Object.assign(state, { page: 1, status: status.value, startDate: from.value, endDate: to.value });
    load();
  });
  root.append(h('div', { class: 'page-head' }, h('h1', {}, 'My calls')),
    h('section', { class: 'card' }, filters), error,
    h('section', { class: 'card' }, h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'aria-label': 'My calls' },
      h('thead', {}, h('tr', {}, ['When', 'Lead', 'Phone', 'Priority', 'Status', 'Duration', 'Notes'].map((t) => h('th', { scope: 'col' }, t)))),
      body)), pages));

  async function load() {
    try {
      const answer = await api.get('/api/operator/calls/history', { page: state.page, limit: PAGE_SIZE,
        status: state.status, startDate: state.startDate, endDate: state.endDate });
      error.hidden = true;
      replace(body, answer.calls.length ? answer.calls.map((c) => h('tr', { dataset: { callId: c.id } },
        h('td', {}, dateTime(c.startTime || c.createdAt)), h('td', { class: 'wrap' }, c.lead?.name || '—'),
        h('td', {}, c.lead?.phone || c.to || '—'), h('td', {}, c.lead?.priority ? badge(c.lead.priority) : '—'),
        h('td', {}, badge(c.status)), h('td', { class: 'num' }, duration(c.duration)),
        h('td', { class: 'wrap', 'data-field': 'notes' }, c.notes || '')))
        : h('tr', {}, h('td', { colspan: 7, class: 'empty' }, 'No calls match.')));
      replace(pages, pager(answer.pagination, (p) => { state.page = p; load(); }));
    } catch (err) {
      error.textContent = `Calls could not be loaded: ${err.text}`;
      error.hidden = false;
    }
  }
  const off = [
    live.on('call_status_updated', (p) => { if (p && !LIVE_STATUSES.includes(p.status)) load(); }),
    live.on('call_notes_updated', () => load()),
  ];
  load();
  return () => off.forEach((fn) => fn());
}
