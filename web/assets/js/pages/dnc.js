// The do-not-call list (issue 12), admins: search and pages, add a number with a reason, take one
// off (confirmed), and import numbers from a CSV file. Only the public routes: GET/POST
// /api/admin/dnc, DELETE /api/admin/dnc/:phone, POST /api/admin/dnc/upload-csv, GET
// /api/admin/dnc/export (the list as CSV, the current search applied). A listed number's
// lead is never dialed; taking it off puts the lead back in the queue.
import { h, replace, field } from '../core/dom.js';
import * as api from '../core/api.js';
import { badge } from '../ui/badge.js';
import { pager } from '../ui/pager.js';
import { toast } from '../ui/toast.js';
import { confirmDialog } from '../ui/dialog.js';
import { dateTime } from '../core/format.js';
import { csvUploadPanel } from './csv-upload.js';
import { download } from '../core/csv.js';

export const PAGE_SIZE = 20;
/** The API's limit on a reason (characters). */
export const REASON_MAX = 200;

const DNC_UPLOAD = {
  path: '/api/admin/dnc/upload-csv', title: 'Import numbers', formLabel: 'Import do-not-call numbers from CSV',
  prefix: 'dnc-import', hint: 'Columns: phone (required), reason. Up to 10 MB.',
  tiles: [['totalProcessed', 'Rows read'], ['successCount', 'Added'], ['duplicateCount', 'Already listed'],
    ['errorCount', 'Errors'], ['leadsFlagged', 'Leads flagged']],
};

export function mount(root) {
  const state = { page: 1, search: '' };
  const search = h('input', { type: 'search', name: 'search', placeholder: 'Phone or reason' });
  const exportButton = h('button', { type: 'button', class: 'btn' }, 'Download CSV');
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Find listed numbers' },
    field('Search', search), h('button', { type: 'submit', class: 'btn btn-primary' }, 'Search'), exportButton);
  const phone = h('input', { type: 'tel', name: 'phone', required: true, autocomplete: 'off', placeholder: '+998901234567' });
  const reason = h('input', { type: 'text', name: 'reason', maxlength: REASON_MAX, autocomplete: 'off' });
  const addError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const addForm = h('form', { class: 'filters', 'aria-label': 'Add a number' },
    field('Phone number', phone), field('Reason', reason, `Optional, up to ${REASON_MAX} characters`),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Add to list'));
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const body = h('tbody');
  const pages = h('div');

  root.append(h('div', { class: 'page-head' }, h('h1', {}, 'Do not call')),
    h('p', { class: 'muted' }, 'Numbers on this list are never dialed, automatically or by hand. Taking a number off puts its lead back in the queue.'),
    h('div', { class: 'grid grid-2' },
      h('section', { class: 'card' }, h('h2', {}, 'Add a number'), addForm, addError),
      csvUploadPanel(() => load(), DNC_UPLOAD)),
    h('section', { class: 'card' }, filters), error,
    h('section', { class: 'card' }, h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'aria-label': 'Do-not-call numbers' },
      h('thead', {}, h('tr', {}, ['Phone', 'Reason', 'Source', 'Added', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
      body)), pages));

  async function load() {
    try {
      const answer = await api.get('/api/admin/dnc', { page: state.page, limit: PAGE_SIZE, search: state.search });
      error.hidden = true;
      replace(body, answer.numbers.length ? answer.numbers.map((entry) => h('tr', { dataset: { phone: entry.phone } },
        h('td', { 'data-field': 'phone' }, entry.phone), h('td', { class: 'wrap', 'data-field': 'reason' }, entry.reason || '—'),
        h('td', {}, badge(entry.source, 'source')), h('td', {}, dateTime(entry.createdAt)),
        h('td', {}, h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'aria-label': `Remove ${entry.phone}`,
          onclick: () => remove(entry) }, 'Remove'))))
        : h('tr', {}, h('td', { colspan: 5, class: 'empty' }, state.search ? 'No listed number matches.' : 'The list is empty.')));
      replace(pages, pager(answer.pagination, (p) => { state.page = p; load(); }));
    } catch (err) {
      error.textContent = `The list could not be loaded: ${err.text}`;
      error.hidden = false;
    }
  }

  async function remove(entry) {
    if (!await confirmDialog({ title: `Take ${entry.phone} off the list?`, message: 'Its lead (if any) can be called again.', confirmLabel: 'Remove from list', danger: true })) return;
    try {
      const answer = await api.del(`/api/admin/dnc/${encodeURIComponent(entry.phone)}`);
      toast(answer.message || 'Number removed', 'success');
    } catch (err) { toast(err.text, 'error'); }
    load();
  }

  exportButton.addEventListener('click', async () => {
    exportButton.disabled = true;
    try {
      const text = await api.getText('/api/admin/dnc/export', { search: state.search });
      download('do-not-call.csv', text);
    } catch (err) { toast(`The list could not be downloaded: ${err.text}`, 'error'); }
    exportButton.disabled = false;
  });
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    Object.assign(state, { page: 1, search: search.value.trim() });
    load();
  });
  addForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    addError.hidden = true;
    try {
      const body = { phone: phone.value.trim() };
      if (reason.value.trim()) body.reason = reason.value.trim();
      const answer = await api.post('/api/admin/dnc', body);
      toast(`${answer.entry?.phone || body.phone} added${answer.lead ? ` (lead ${answer.lead.name || answer.lead.phone} will not be called)` : ''}`, 'success');
      phone.value = '';
      reason.value = '';
      Object.assign(state, { page: 1 });
      load();
    } catch (err) {
      addError.textContent = err.text;
      addError.hidden = false;
      phone.focus();
    }
  });
  load();
  return () => {};
}
