// One lead: its fields, call history and events (the status changes its calls caused), edit and
// delete.
import { h, replace } from '../core/dom.js';
import * as api from '../core/api.js';
import { badge } from '../ui/badge.js';
import { toast } from '../ui/toast.js';
import { confirmDialog } from '../ui/dialog.js';
import { navigate } from '../core/router.js';
import { dateTime, duration, num } from '../core/format.js';
import { editLead } from './lead-form.js';

export function mount(root, params) {
  const content = h('div', { class: 'page' }, h('p', { class: 'muted' }, 'Loading…'));
  root.append(h('p', {}, h('a', { href: '#/leads' }, '‹ All leads')), content);

  async function load() {
    let lead;
    try {
      lead = (await api.get(`/api/leads/${encodeURIComponent(params.id)}`)).lead;
    } catch (err) {
      replace(content, h('p', { class: 'form-error', role: 'alert' }, `The lead could not be loaded: ${err.text}`));
      return;
    }
    const calls = lead.callHistory || [];
    replace(content,
      h('div', { class: 'page-head' }, h('h1', { 'data-field': 'name' }, lead.name || '(no name)'),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'btn', onclick: async () => { if (await editLead(lead)) { toast('Lead saved', 'success'); load(); } } }, 'Edit'),
          h('button', { type: 'button', class: 'btn btn-danger', onclick: () => remove(lead) }, 'Delete'))),
      h('div', { class: 'grid grid-2' },
        h('section', { class: 'card' }, h('h2', {}, 'Lead'), h('dl', { class: 'kv' },
          h('dt', {}, 'Phone'), h('dd', {}, lead.phone),
          h('dt', {}, 'Email'), h('dd', {}, lead.email || '—'),
          h('dt', {}, 'Status'), h('dd', {}, badge(lead.status)),
          h('dt', {}, 'Priority'), h('dd', {}, badge(lead.priority)),
          h('dt', {}, 'Attempts'), h('dd', {}, num(lead.callAttempts)),
          h('dt', {}, 'Next call'), h('dd', {}, dateTime(lead.nextCallTime)),
          h('dt', {}, 'Assigned to'), h('dd', {}, lead.assignedTo?.name || '—'),
          h('dt', {}, 'Tags'), h('dd', {}, (lead.tags || []).join(', ') || '—'),
          h('dt', {}, 'Source'), h('dd', {}, lead.source || '—'),
          h('dt', {}, 'Created'), h('dd', {}, dateTime(lead.createdAt)),
          h('dt', {}, 'Notes'), h('dd', { 'data-field': 'notes' }, lead.notes || '—'))),
        h('section', { class: 'card' }, h('h2', {}, 'Call history'), h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'aria-label': 'Call history' },
          h('thead', {}, h('tr', {}, ['Started', 'Status', 'Duration', 'Operator'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, calls.length ? calls.map((c) => h('tr', {}, h('td', {}, dateTime(c.startTime)), h('td', {}, badge(c.status)),
            h('td', { class: 'num' }, duration(c.duration)), h('td', {}, c.salesperson?.name || '—')))
            : h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'No calls yet.'))))))));
  }

  async function remove(lead) {
    if (!await confirmDialog({ title: 'Delete this lead?', message: `${lead.name || lead.phone} will no longer be called or listed.`, confirmLabel: 'Delete lead', danger: true })) return;
    try {
      await api.del(`/api/leads/${encodeURIComponent(lead.id)}`);
      toast('Lead deleted', 'success');
      navigate('/leads');
    } catch (err) { toast(err.text, 'error'); }
  }
  load();
}
