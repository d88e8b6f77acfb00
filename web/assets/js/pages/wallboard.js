// Admin wallboard: leads by status and priority, calls today and live, the queue (running or
// paused, lines in use of max, SLA misses), pacing (mode, abandon rates, dial level) and operators
// by state, active calls with their running duration, and the operators with presence,
// availability, state and current call. Live from Socket.IO events; counters
// the events cannot tell are reloaded after events through a Refresher (no timer polling).
import { h, setText } from '../core/dom.js';
import * as api from '../core/api.js';
import * as live from '../realtime/live.js';
import { Refresher } from '../core/refresher.js';
import { tileGroup } from '../ui/tiles.js';
import { num } from '../core/format.js';
import { createModel, applySnapshot, applyCalls, applyUsers, applyEvent, applyPresence, idleBanner } from './wallboard-model.js';
import { FrameBatch } from '../core/frame-batch.js';
import { callsTable } from './wallboard-calls.js';
import { operatorsTable } from './wallboard-operators.js';
import { pacingCards } from './wallboard-pacing.js';

/** Events after which the REST counters are reloaded. */
const COUNTER_EVENTS = new Set(['call_status_updated', 'lead_assigned', 'lead_claimed', 'leads_imported', 'queue_paused',
  'queue_resumed', 'stuck_leads_reset', 'user_availability_changed', 'lead_created', 'lead_updated', 'lead_deleted',
  'lead_status_changed', 'leads_updated', 'queue_settings_changed', 'operator_state_changed']);
const VIEW_EVENTS = ['call_status_updated', 'lead_assigned', 'user_online', 'user_offline',
  'user_availability_changed', 'queue_paused', 'queue_resumed', 'operator_state_changed', 'queue_explained'];
export const REFRESH_GAP_MS = 400;
export const DASHBOARD_GAP_MS = 1000;
export const TICK_MS = 1000;
/** Counters are rewritten at most this often, tables at most every TABLE_GAP_MS. */
export const COUNTER_GAP_MS = 100;
export const TABLE_GAP_MS = 500;
/** Users are read USERS_PAGE at a time (the API's maximum), up to MAX_USER_PAGES pages. */
export const USERS_PAGE = 100;
export const MAX_USER_PAGES = 50;

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
  const activeCalls = callsTable(model);
  const operators = operatorsTable(model);
  const pacing = pacingCards();

  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Wallboard'), updated),
    banner,
    error,
    h('div', { class: 'grid grid-2' }, queue.section, calls.section),
    h('div', { class: 'grid grid-2' }, ...pacing.sections),
    h('div', { class: 'grid grid-2' }, leads.section, prios.section),
    h('div', { class: 'grid grid-2' },
      h('section', { class: 'card' }, h('h2', {}, 'Active calls'), h('div', { class: 'table-wrap' }, activeCalls.table), activeCalls.more),
      h('section', { class: 'card' }, h('h2', {}, 'Operators'), h('div', { class: 'table-wrap' }, operators.table))));

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
    pacing.render(model.queue.callQueue);
    const why = idleBanner(model);
    banner.hidden = why === null;
    setText(banner, why ?? '');
  }

  function renderTables(now) {
    activeCalls.render(now);
    operators.render();
  }

  // Events are queued as they arrive and applied together in the next animation frame (a busy
  // minute brings well over a thousand Socket.IO messages a second); counters are then written at
  // most every COUNTER_GAP_MS and tables every TABLE_GAP_MS, and only the texts that changed: a
  // burst costs a few text updates and paints a second, well within the second a wallboard has to
  // show a change. Between due renders no frame loop runs (FrameBatch.later).
  let countersDue = false;
  let tablesDue = false;
  let lastCounters = -Infinity;
  let lastTables = -Infinity;
  const frames = new FrameBatch((events, now) => {
    let poke = false;
    for (const [name, payload] of events) {
      if (applyEvent(model, name, payload, Date.now())) { countersDue = true; tablesDue = true; }
      if (COUNTER_EVENTS.has(name)) poke = true;
    }
    if (poke) { counters.poke(); dashboard.poke(); }
    if (countersDue && now - lastCounters >= COUNTER_GAP_MS) { countersDue = false; lastCounters = now; renderCounters(); }
    if (tablesDue && now - lastTables >= TABLE_GAP_MS) { tablesDue = false; lastTables = now; renderTables(Date.now()); }
    if (countersDue || tablesDue) {
      const wait = Math.min(countersDue ? lastCounters + COUNTER_GAP_MS - now : Infinity, tablesDue ? lastTables + TABLE_GAP_MS - now : Infinity);
      frames.later(wait);
    }
  });
  function scheduleRender() {
    countersDue = true;
    tablesDue = true;
    frames.wake();
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

  /** Every user, page by page (the API lists at most 100 a page): a wallboard shows all operators. */
  async function allUsers() {
    const users = [];
    for (let page = 1; page <= MAX_USER_PAGES; page += 1) {
      const answer = await api.get('/api/users', { limit: USERS_PAGE, page });
      users.push(...answer.users);
      if (page >= (answer.pagination?.pages || 1)) break;
    }
    return users;
  }

  async function loadLists() {
    try {
      const [users, recent] = await Promise.all([allUsers(), api.get('/api/calls', { limit: 100 })]);
      applyUsers(model, users);
      applyCalls(model, recent.calls);
      scheduleRender();
    } catch (err) {
      error.textContent = `Lists could not be loaded: ${err.text}`;
      error.hidden = false;
    }
  }

  const off = [];
  for (const name of new Set([...COUNTER_EVENTS, ...VIEW_EVENTS])) {
    off.push(live.on(name, (payload) => frames.push([name, payload])));
  }
  async function loadPresence() {
    const answer = await live.emit('get_online_users', {});
    if (answer && answer.ok) { applyPresence(model, answer.userIds); scheduleRender(); }
  }
  off.push(live.on('resync', () => { loadLists(); loadPresence(); counters.poke(); dashboard.poke(); }));
  const ticker = setInterval(() => activeCalls.tick(), TICK_MS);

  renderCounters();
  renderTables(Date.now());
  loadLists();
  if (live.currentStatus() === 'live') loadPresence();
  counters.poke();
  dashboard.poke();
  return () => {
    for (const fn of off) fn();
    counters.stop();
    dashboard.stop();
    clearInterval(ticker);
    frames.stop();
  };
}
