// One lead: its fields, call history (status, duration, operator, disposition, notes) and events
// (every status change and edit: when, who, from → to, why) from GET /api/leads/:id/history,
// edit and delete.
import { h, replace } from '../core/dom.js';
import * as api from '../core/api.js';
import { badge } from '../ui/badge.js';
import { toast } from '../ui/toast.js';
import { confirmDialog } from '../ui/dialog.js';
import { navigate } from '../core/router.js';
import { dateTime, duration, num, label } from '../core/format.js';
import { editLead } from './lead-form.js';
import { describeDialability } from '../core/dialability.js';

export function mount(root, params) {
  const content = h('div', { class: 'page' }, h('p', { class: 'muted' }, 'Loading…'));
  root.append(h('p', {}, h('a', { href: '#/leads' }, '‹ All leads')), content);

  async function load() {
    let lead;
    let history = null;
    const id = encodeURIComponent(params.id);
    try {
      const [detail, hist] = await Promise.all([api.get(`/api/leads/${id}`),
        api.get(`/api/leads/${id}/history`).catch(() => null)]);
      lead = detail.lead;
      history = hist?.history || null;
    } catch (err) {
      replace(content, h('p', { class: 'form-error', role: 'alert' }, `The lead could not be loaded: ${err.text}`));
      return;
    }
    const calls = history ? history.calls : (lead.callHistory || []);
    const events = history ? history.events : [];
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
          h('dt', {}, 'Attempts'), h('dd', { 'data-field': 'attempts' }, num(lead.callAttempts)),
          h('dt', {}, 'Disposition'), h('dd', {}, lead.disposition ? label(lead.disposition) : '—'),
          h('dt', {}, 'Do not call'), h('dd', {}, lead.doNotCall ? '⊘ Yes — never dialed' : 'No'),
          h('dt', {}, 'Next call'), h('dd', {}, dateTime(lead.nextCallTime)),
          h('dt', {}, 'Dialing'), dialing(lead.dialability),
          h('dt', {}, 'Assigned to'), h('dd', {}, lead.assignedTo?.name || '—'),
          h('dt', {}, 'Tags'), h('dd', {}, (lead.tags || []).join(', ') || '—'),
          h('dt', {}, 'Source'), h('dd', {}, lead.source || '—'),
          h('dt', {}, 'Created'), h('dd', {}, dateTime(lead.createdAt)),
          h('dt', {}, 'Notes'), h('dd', { 'data-field': 'notes' }, lead.notes || '—'))),
        h('section', { class: 'card' }, h('h2', {}, 'Call history'), h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'aria-label': 'Call history' },
          h('thead', {}, h('tr', {}, ['Started', 'Status', 'Duration', 'Operator', 'Disposition', 'Notes'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, calls.length ? calls.map((c) => h('tr', { dataset: { callId: c.id } }, h('td', {}, dateTime(c.startTime)),
            h('td', {}, badge(c.status), c.mode === 'manual' ? h('span', { class: 'muted' }, ' (manual)') : null),
            h('td', { class: 'num' }, duration(c.duration)), h('td', { class: 'wrap' }, c.salesperson?.name || '—'),
            h('td', { 'data-field': 'disposition' }, c.disposition ? label(c.disposition) : '—'),
            h('td', { class: 'wrap', 'data-field': 'call-notes' }, c.notes || '—')))
            : h('tr', {}, h('td', { colspan: 6, class: 'empty' }, 'No calls yet.'))))))),
      h('section', { class: 'card' }, h('h2', {}, 'Events'),
        history ? timeline(events, history.eventsTotal) : h('p', { class: 'muted' }, 'Events are not available.')));
  }

  function dialing(d) {
    const v = describeDialability(d, dateTime);
    return h('dd', { 'data-field': 'dialability' },
      h('span', { class: v.callable ? 'dial-ok' : '' }, v.headline),
      v.details.length ? h('ul', { class: 'reasons' }, v.details.map((t) => h('li', {}, t))) : null);
  }

  function timeline(list, total) {
    if (!list.length) return h('p', { class: 'muted' }, 'No events.');
    return [h('ol', { class: 'timeline', 'aria-label': 'Lead events' }, list.map((e) => h('li', {},
      h('span', { class: 'when' }, dateTime(e.at), ' · ', typeof e.actor === 'object' && e.actor ? e.actor.name : label(e.actor)),
      e.fromStatus && e.fromStatus !== e.toStatus ? `${label(e.fromStatus)} → ${label(e.toStatus)}` : label(e.toStatus),
      h('span', { class: 'muted', 'data-field': 'event-reason' }, ` — ${e.reason}`)))),
    total > list.length ? h('p', { class: 'muted' }, `The newest ${num(list.length)} of ${num(total)} events.`) : null];
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
