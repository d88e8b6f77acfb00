// Leads: the API's filters (status, priority, search), pagination, a selection with bulk actions
// (priority, status, tags, delete), create, CSV upload; a row opens the lead's detail page.
import { h, replace, field, select } from '../core/dom.js';
import * as api from '../core/api.js';
import * as live from '../realtime/live.js';
import { badge } from '../ui/badge.js';
import { pager } from '../ui/pager.js';
import { toast } from '../ui/toast.js';
import { confirmDialog } from '../ui/dialog.js';
import { Refresher } from '../core/refresher.js';
import { priorities, leadStatuses, label, num, dateTime } from '../core/format.js';
import { csvUploadPanel } from './csv-upload.js';
import { editLead } from './lead-form.js';

export const PAGE_SIZE = 20;

export function mount(root) {
  const state = { page: 1, status: '', priority: '', search: '' };
  const selected = new Set();
  const status = select([['', 'All statuses'], ...leadStatuses.map((s) => [s, label(s)])], '', { name: 'status' });
  const priority = select([['', 'All priorities'], ...priorities.map((p) => [p, label(p)])], '', { name: 'priority' });
  const search = h('input', { type: 'search', name: 'search', placeholder: 'Name, phone or email' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const body = h('tbody');
  const pages = h('div');
  const all = h('input', { type: 'checkbox', 'aria-label': 'Select all leads on this page' });
  const count = h('span', { class: 'muted', role: 'status' }, 'No leads selected');
  const bulkAction = select([['', 'Bulk action…'], ['priority', 'Set priority'], ['status', 'Set status'], ['tags', 'Add tags'], ['delete', 'Delete']], '', { name: 'bulk', 'aria-label': 'Bulk action' });
  const bulkValue = h('span');
  const bulkApply = h('button', { type: 'button', class: 'btn', disabled: true }, 'Apply to selection');
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter leads' },
    field('Status', status), field('Priority', priority), field('Search', search), h('button', { type: 'submit', class: 'btn btn-primary' }, 'Search'));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    Object.assign(state, { page: 1, status: status.value, priority: priority.value, search: search.value.trim() });
    selected.clear();
    refresher.poke();
  });
  const create = h('button', { type: 'button', class: 'btn btn-primary', onclick: async () => {
    const lead = await editLead(null);
    if (lead) { toast('Lead created', 'success'); refresher.poke(); }
  } }, '+ New lead');

  root.append(h('div', { class: 'page-head' }, h('h1', {}, 'Leads'), h('div', { class: 'actions' }, create)),
    csvUploadPanel(() => refresher.poke()),
    h('section', { class: 'card' }, filters), error,
    h('section', { class: 'card' },
      h('div', { class: 'row bulk' }, count, bulkAction, bulkValue, bulkApply),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'aria-label': 'Leads' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, all), ['Name', 'Phone', 'Priority', 'Status', 'Attempts', 'Assigned to', 'Created'].map((t) => h('th', { scope: 'col' }, t)))),
        body)), pages));

  let rows = [];
  function updateSelection() {
    count.textContent = selected.size ? `${num(selected.size)} selected` : 'No leads selected';
    bulkApply.disabled = !selected.size || !bulkAction.value;
    all.checked = rows.length > 0 && rows.every((l) => selected.has(l.id));
  }
  all.addEventListener('change', () => {
    for (const lead of rows) { if (all.checked) selected.add(lead.id); else selected.delete(lead.id); }
    for (const box of body.querySelectorAll('input[type=checkbox]')) box.checked = all.checked;
    updateSelection();
  });
  bulkAction.addEventListener('change', () => {
    const v = bulkAction.value;
    replace(bulkValue, v === 'priority' ? select(priorities.map((p) => [p, label(p)]), 'high', { 'aria-label': 'New priority' })
      : v === 'status' ? select(leadStatuses.map((s) => [s, label(s)]), 'pending', { 'aria-label': 'New status' })
        : v === 'tags' ? h('input', { type: 'text', 'aria-label': 'Tags to add', placeholder: 'tag1, tag2' }) : null);
    updateSelection();
  });
  bulkApply.addEventListener('click', async () => {
    const v = bulkAction.value;
    const input = bulkValue.firstChild;
    const ids = [...selected];
    const request = { leadIds: ids, data: {} };
    if (v === 'priority') Object.assign(request, { action: 'update_priority', data: { priority: input.value } });
    if (v === 'status') Object.assign(request, { action: 'update_status', data: { status: input.value } });
    if (v === 'tags') Object.assign(request, { action: 'add_tags', data: { tags: input.value.split(',').map((t) => t.trim()).filter(Boolean) } });
    if (v === 'delete') request.action = 'delete';
    const what = v === 'delete' ? 'delete' : `change`;
    if (!await confirmDialog({ title: `Apply to ${num(ids.length)} leads?`, message: v === 'delete' ? 'The selected leads are deleted (kept in the database as inactive).' : `This will ${what} ${num(ids.length)} leads.`, confirmLabel: 'Apply', danger: v === 'delete' })) return;
    try {
      const answer = await api.post('/api/admin/leads/bulk-action', request);
      toast(`${answer.message} (${num(answer.modifiedCount)} changed)`, 'success');
      selected.clear();
    } catch (err) { toast(err.text, 'error'); }
    refresher.poke();
  });

  const refresher = new Refresher(async () => {
    try {
      const answer = await api.get('/api/leads', { page: state.page, limit: PAGE_SIZE, status: state.status, priority: state.priority, search: state.search });
      error.hidden = true;
      rows = answer.leads;
      replace(body, rows.length ? rows.map((lead) => {
        const box = h('input', { type: 'checkbox', checked: selected.has(lead.id), 'aria-label': `Select ${lead.name || lead.phone}` });
        box.addEventListener('change', () => { if (box.checked) selected.add(lead.id); else selected.delete(lead.id); updateSelection(); });
        return h('tr', { dataset: { leadId: lead.id } }, h('td', {}, box),
          h('td', { class: 'wrap' }, h('a', { href: `#/leads/${encodeURIComponent(lead.id)}`, 'data-field': 'name' }, lead.name || '(no name)')),
          h('td', {}, lead.phone), h('td', {}, badge(lead.priority)), h('td', {}, badge(lead.status)),
          h('td', { class: 'num' }, num(lead.callAttempts)), h('td', {}, lead.assignedTo?.name || '—'), h('td', {}, dateTime(lead.createdAt)));
      }) : h('tr', {}, h('td', { colspan: 8, class: 'empty' }, 'No leads match.')));
      replace(pages, pager(answer.pagination, (p) => { state.page = p; refresher.poke(); }));
      updateSelection();
    } catch (err) {
      error.textContent = `Leads could not be loaded: ${err.text}`;
      error.hidden = false;
    }
  }, { minGapMs: 1500, settleMs: 2000 });
  const off = ['leads_imported', 'lead_claimed', 'lead_assigned', 'lead_created', 'lead_updated', 'lead_deleted',
    'lead_status_changed', 'leads_updated', 'resync'].map((n) => live.on(n, () => refresher.poke()));
  refresher.poke();
  return () => { off.forEach((fn) => fn()); refresher.stop(); };
}
