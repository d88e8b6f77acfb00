// Admin wallboard: leads by status and priority, calls today and live, the queue (running or
// paused, lines in use of max, SLA misses), active calls with their running duration, and the
// operators with presence, availability and current call. Live from Socket.IO events; counters
// the events cannot tell are reloaded after events through a Refresher (no timer polling).
import { h, replace, setText } from '../core/dom.js';
import * as api from '../core/api.js';
import * as live from '../realtime/live.js';
import { Refresher } from '../core/refresher.js';
import { tileGroup } from '../ui/tiles.js';
import { badge } from '../ui/badge.js';
import { duration, num } from '../core/format.js';
import { createModel, applySnapshot, applyCalls, applyUsers, applyEvent, applyPresence, operatorsOnCall, idleBanner } from './wallboard-model.js';

/** Events after which the REST counters are reloaded. */
const COUNTER_EVENTS = ['call_status_updated', 'lead_assigned', 'lead_claimed', 'leads_imported', 'queue_paused',
  'queue_resumed', 'stuck_leads_reset', 'user_availability_changed', 'lead_created', 'lead_updated', 'lead_deleted',
  'lead_status_changed', 'leads_updated', 'queue_settings_changed'];
const VIEW_EVENTS = ['call_status_updated', 'lead_assigned', 'user_online', 'user_offline',
  'user_availability_changed', 'queue_paused', 'queue_resumed', 'queue_explained'];
export const REFRESH_GAP_MS = 400;
export const DASHBOARD_GAP_MS = 1000;
export const TICK_MS = 1000;
/** Counters are rewritten at most this often, tables at most every TABLE_GAP_MS. */
export const COUNTER_GAP_MS = 100;
export const TABLE_GAP_MS = 500;
/** Active calls listed (longest first); the rest are counted below the table. */
export const MAX_CALL_ROWS = 25;

export function mount(root) {
  const model = createModel();
  const leads = tileGroup('Leads by status', [['pending', 'Pending', '○'], ['claimed', 'Claimed', '◐'],
    ['calling', 'Calling', '◔'], ['answered', 'Answered', '●'], ['transferred', 'Transferred', '✓'],
    ['failed', 'Failed', '✕'], ['total', 'Total', 'Σ']], 'leads');
  const prios = tileGroup('Leads by priority', [['urgent', 'Urgent', '▲▲'], ['high', 'High', '▲'],
    ['medium', 'Medium', '■'], ['low', 'Low', '▽']], 'priority');
  const calls = tileGroup('Calls', [['initiated', 'Dialing now', '○'], ['ringing', 'Ringing now', '◔'],
    ['answered', 'Talking now', '●'], ['todayCalls', 'Calls today', '☎'], ['answeredCalls', 'Answered (all)', '✓'],
    ['completedCalls', 'Completed (all)', '✓']], 'calls');
  const queue = tileGroup('Queue', [['state', 'State'], ['lines', 'Lines in use'], ['sla', 'SLA misses'],
    ['waiting', 'Leads waiting'], ['free', 'Free operators']], 'queue');
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  // Issue 17: when nothing can dial, the queue says why (rendered as text).
  const banner = h('p', { class: 'banner-idle', role: 'status', 'data-stat': 'queue-banner', hidden: true });
  const updated = h('span', { class: 'muted', 'data-stat': 'updated' });
  const callsBody = h('tbody');
  const moreCalls = h('p', { class: 'muted', hidden: true });
  const opsBody = h('tbody');
  const callsTable = h('table', { class: 'table', 'aria-label': 'Active calls' },
    h('thead', {}, h('tr', {}, ['Phone', 'Lead', 'Operator', 'Status', 'Duration'].map((t) => h('th', { scope: 'col' }, t)))), callsBody);
  const opsTable = h('table', { class: 'table', 'aria-label': 'Operators' },
    h('thead', {}, h('tr', {}, ['Operator', 'Presence', 'Availability', 'Current call'].map((t) => h('th', { scope: 'col' }, t)))), opsBody);

  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Wallboard'), updated),
    banner,
    error,
    h('div', { class: 'grid grid-2' }, queue.section, calls.section),
    h('div', { class: 'grid grid-2' }, leads.section, prios.section),
    h('div', { class: 'grid grid-2' },
      h('section', { class: 'card' }, h('h2', {}, 'Active calls'), h('div', { class: 'table-wrap' }, callsTable), moreCalls),
      h('section', { class: 'card' }, h('h2', {}, 'Operators'), h('div', { class: 'table-wrap' }, opsTable))));

  const durationCells = new Map();
  function renderCounters() {
    for (const key of ['pending', 'claimed', 'calling', 'answered', 'transferred', 'failed', 'total']) leads.set(key, model.leads[key] ?? 0);
    for (const key of ['urgent', 'high', 'medium', 'low']) prios.set(key, model.priorities[key] ?? 0);
    const byStatus = { initiated: 0, ringing: 0, answered: 0 };
    for (const c of model.calls.values()) byStatus[c.status] += 1;
    for (const key of Object.keys(byStatus)) calls.set(key, byStatus[key]);
    for (const key of ['todayCalls', 'answeredCalls', 'completedCalls']) calls.set(key, model.today[key] ?? 0);
    queue.set('state', model.queue.paused ? '❚❚ Paused' : '▶ Running');
    queue.set('lines', `${num(model.queue.activeCalls ?? 0)} / ${num(model.queue.maxConcurrentCalls ?? 0)}`);
    queue.set('sla', model.queue.slaMisses ?? 0);
    queue.set('waiting', model.queue.waiting ?? 0);
    queue.set('free', model.queue.freeOperators ?? 0);
    const why = idleBanner(model);
    banner.hidden = why === null;
    setText(banner, why ?? '');
  }

  function renderTables() {
    const now = Date.now();
    durationCells.clear();
    const all = [...model.calls.values()].sort((a, b) => a.since - b.since);
    const rows = all.slice(0, MAX_CALL_ROWS);
    moreCalls.hidden = all.length <= rows.length;
    setText(moreCalls, `and ${num(all.length - rows.length)} more calls in progress`);
    replace(callsBody, rows.length ? rows.map((c) => {
      const cell = h('td', { class: 'num' }, duration((now - c.since) / 1000));
      durationCells.set(cell, c.since);
      return h('tr', { dataset: { callId: c.callId } }, h('td', {}, c.phone || '—'), h('td', {}, c.name || '—'),
        h('td', {}, model.operators.get(c.operatorId)?.name || (c.operatorId ? '—' : 'Unassigned')),
        h('td', {}, badge(c.status)), cell);
    }) : h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'No calls in progress')));
    renderOperators();
  }

  // Operator rows are kept per operator and only the cells whose state changed are rewritten
  // (hundreds of operators, several changes a second under load).
  const opRows = new Map();   // id → {row, cells: [presence, availability, call], key}
  let opOrder = '';
  function renderOperators() {
    const onCall = operatorsOnCall(model);
    const ops = [...model.operators.values()].sort((a, b) => a.name.localeCompare(b.name));
    const order = ops.map((op) => op.id).join(',');
    if (order !== opOrder) {
      opOrder = order;
      opRows.clear();
      replace(opsBody, ops.length ? ops.map((op) => {
        const cells = [h('td'), h('td'), h('td')];
        const row = h('tr', { dataset: { userId: op.id } },
          h('td', {}, op.name, op.isActive ? null : h('span', { class: 'muted' }, ' (deactivated)')), ...cells);
        opRows.set(op.id, { row, cells, key: '' });
        return row;
      }) : h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'No operators yet')));
    }
    for (const op of ops) {
      const entry = opRows.get(op.id);
      const call = onCall.get(op.id);
      const key = `${op.online}|${op.isAvailable}|${call ? call.callId + call.phone : ''}`;
      if (entry.key === key) continue;
      entry.key = key;
      const [presence, availability, current] = entry.cells;
      replace(presence, op.online === null
        ? h('span', { class: 'muted', title: 'No presence event since this wallboard opened' }, '? Unknown')
        : badge(op.online ? 'online' : 'offline'));
      replace(availability, badge(op.isAvailable ? 'available' : 'unavailable'));
      replace(current, call ? [badge('on call'), ' ', call.phone] : h('span', { class: 'muted' }, 'Idle'));
    }
  }

  // Counters are written at most every COUNTER_GAP_MS and tables every TABLE_GAP_MS, in an
  // animation frame: a burst of hundreds of events a second costs a few text updates and paints
  // a second, well within the second a wallboard has to show a change.
  let frame = 0;
  let countersDue = false;
  let tablesDue = false;
  let lastCounters = 0;
  let lastTables = 0;
  function tick(now) {
    frame = 0;
    if (countersDue && now - lastCounters >= COUNTER_GAP_MS) {
      countersDue = false;
      lastCounters = now;
      renderCounters();
    }
    if (tablesDue && now - lastTables >= TABLE_GAP_MS) {
      tablesDue = false;
      lastTables = now;
      renderTables();
    }
    if (countersDue || tablesDue) frame = requestAnimationFrame(tick);
  }
  function scheduleRender() {
    countersDue = true;
    tablesDue = true;
    if (!frame) frame = requestAnimationFrame(tick);
  }

  let lastStatus = null;
  let lastDashboard = null;
  const counters = new Refresher(async () => {
    try {
      lastStatus = await api.get('/api/admin/system-status');
      applySnapshot(model, lastStatus, lastDashboard);
      error.hidden = true;
      setText(updated, `Counters updated ${new Date().toLocaleTimeString('en-GB')}`);
      scheduleRender();
    } catch (err) {
      error.textContent = `Counters could not be loaded: ${err.text}`;
      error.hidden = false;
    }
  }, { minGapMs: REFRESH_GAP_MS });
  // Calls today and leads by priority (the dashboard: a larger answer) reload less often.
  const dashboard = new Refresher(async () => {
    try {
      lastDashboard = await api.get('/api/admin/dashboard');
      applySnapshot(model, lastStatus, lastDashboard);
      scheduleRender();
    } catch (err) {
      error.textContent = `Counters could not be loaded: ${err.text}`;
      error.hidden = false;
    }
  }, { minGapMs: DASHBOARD_GAP_MS });

  async function loadLists() {
    try {
      const [users, recent] = await Promise.all([api.get('/api/users', { limit: 100 }), api.get('/api/calls', { limit: 100 })]);
      applyUsers(model, users.users);
      applyCalls(model, recent.calls);
      scheduleRender();
    } catch (err) {
      error.textContent = `Lists could not be loaded: ${err.text}`;
      error.hidden = false;
    }
  }

  const off = [];
  for (const name of new Set([...COUNTER_EVENTS, ...VIEW_EVENTS])) {
    off.push(live.on(name, (payload) => {
      if (applyEvent(model, name, payload, Date.now())) scheduleRender();
      if (COUNTER_EVENTS.includes(name)) { counters.poke(); dashboard.poke(); }
    }));
  }
  async function loadPresence() {
    const answer = await live.emit('get_online_users', {});
    if (answer && answer.ok) { applyPresence(model, answer.userIds); scheduleRender(); }
  }
  off.push(live.on('resync', () => { loadLists(); loadPresence(); counters.poke(); dashboard.poke(); }));
  const ticker = setInterval(() => {
    const now = Date.now();
    for (const [cell, since] of durationCells) setText(cell, duration((now - since) / 1000));
  }, TICK_MS);

  renderCounters();
  renderTables();
  loadLists();
  if (live.currentStatus() === 'live') loadPresence();
  counters.poke();
  dashboard.poke();
  return () => {
    for (const fn of off) fn();
    counters.stop();
    dashboard.stop();
    clearInterval(ticker);
    cancelAnimationFrame(frame);
  };
}
