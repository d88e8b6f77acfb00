// Available leads for the operator: priority filter and search; claim a lead. The operator's
// claimed leads are listed above (`GET /api/leads?status=claimed&assignedTo=<me>`: a claimed lead
// leaves the available list), each with "Start call" and "Release". A started call opens the
// workspace with the lead's screen pop (core/manual-call.js).
import { h, replace, field, select } from '../core/dom.js';
import * as api from '../core/api.js';
import * as live from '../realtime/live.js';
import * as session from '../core/session.js';
import { badge } from '../ui/badge.js';
import { pager } from '../ui/pager.js';
import { toast } from '../ui/toast.js';
import { Refresher } from '../core/refresher.js';
import { priorities, label, num } from '../core/format.js';
import { navigate } from '../core/router.js';
import * as manualCall from '../core/manual-call.js';

export const PAGE_SIZE = 20;

export function mount(root) {
  const me = session.user();
  const state = { page: 1, priority: '', search: '' };
  const priority = select([['', 'All priorities'], ...priorities.map((p) => [p, label(p)])], '', { name: 'priority' });
  const search = h('input', { type: 'search', name: 'search', placeholder: 'Name, phone or email' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const body = h('tbody');
  const mineBody = h('tbody');
  const pages = h('div');
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter leads' },
    field('Priority', priority), field('Search', search), h('button', { type: 'submit', class: 'btn btn-primary' }, 'Search'));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    Object.assign(state, { page: 1, priority: priority.value, search: search.value.trim() });
    refresher.poke();
  });
  root.append(h('div', { class: 'page-head' }, h('h1', {}, 'Available leads')),
    h('section', { class: 'card' }, h('h2', {}, 'My claimed leads'), h('div', { class: 'table-wrap' },
      h('table', { class: 'table', 'aria-label': 'My claimed leads' },
        h('thead', {}, h('tr', {}, ['Name', 'Phone', 'Priority', 'Attempts', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
        mineBody))),
    h('section', { class: 'card' }, filters), error,
    h('section', { class: 'card' }, h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'aria-label': 'Available leads' },
      h('thead', {}, h('tr', {}, ['Name', 'Phone', 'Priority', 'Status', 'Attempts', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
      body)), pages));

  async function act(path, lead, done) {
    try {
      const answer = await api.post(path, { leadId: lead.id });
      toast(answer.message || done, 'success');
    } catch (err) {
      toast(err.text, 'error');
    }
    refresher.poke();
  }

  async function startCall(lead) {
    try {
      const answer = await api.post('/api/operator/calls/start', { leadId: lead.id });
      manualCall.remember(answer.call, lead);
      toast(answer.message || 'Call started', 'success');
      navigate('/workspace');
    } catch (err) {
      toast(err.text, 'error');
      refresher.poke();
    }
  }

  function actions(lead) {
    const mine = lead.assignedTo && (lead.assignedTo.id || lead.assignedTo) === me.id;
    if (lead.status === 'claimed' && mine) {
      return [h('button', { type: 'button', class: 'btn btn-primary btn-small', onclick: () => startCall(lead) }, 'Start call'),
        ' ', h('button', { type: 'button', class: 'btn btn-small', onclick: () => act('/api/operator/leads/release', lead, 'Lead released') }, 'Release')];
    }
    if (lead.status === 'pending') {
      return h('button', { type: 'button', class: 'btn btn-small', onclick: () => act('/api/operator/leads/claim', lead, 'Lead claimed') }, 'Claim');
    }
    return h('span', { class: 'muted' }, '—');
  }

  const refresher = new Refresher(async () => {
    try {
      const mine = await api.get('/api/leads', { status: 'claimed', assignedTo: me.id, limit: PAGE_SIZE });
      replace(mineBody, mine.leads.length ? mine.leads.map((lead) => h('tr', { dataset: { leadId: lead.id } },
        h('td', { class: 'wrap' }, lead.name || '—'), h('td', {}, lead.phone), h('td', {}, badge(lead.priority)),
        h('td', { class: 'num' }, num(lead.callAttempts)), h('td', {}, actions(lead))))
        : h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'You hold no claimed lead. Claim one below.')));
      const answer = await api.get('/api/operator/leads/available', { page: state.page, limit: PAGE_SIZE,
        priority: state.priority, search: state.search });
      error.hidden = true;
      replace(body, answer.leads.length ? answer.leads.map((lead) => h('tr', { dataset: { leadId: lead.id } },
        h('td', { class: 'wrap' }, lead.name || '—'), h('td', {}, lead.phone), h('td', {}, badge(lead.priority)),
        h('td', {}, badge(lead.status)), h('td', { class: 'num' }, num(lead.callAttempts)), h('td', {}, actions(lead))))
        : h('tr', {}, h('td', { colspan: 6, class: 'empty' }, 'No leads available.')));
      replace(pages, pager(answer.pagination, (p) => { state.page = p; refresher.poke(); }));
    } catch (err) {
      error.textContent = `Leads could not be loaded: ${err.text}`;
      error.hidden = false;
    }
  }, { minGapMs: 1000, settleMs: 2000 });
  const off = ['lead_claimed', 'lead_assigned', 'call_status_updated', 'resync'].map((name) => live.on(name, () => refresher.poke()));
  refresher.poke();
  return () => { off.forEach((fn) => fn()); refresher.stop(); };
}
