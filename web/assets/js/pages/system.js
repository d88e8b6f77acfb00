// System: database, daemons, connections, memory and uptime; pause/resume the queue, reset stuck
// leads and set the number of lines, pacing (system-pacing.js) and calling hours
// (system-hours.js), each confirmed and its result shown.
import { h, replace, field } from '../core/dom.js';
import * as api from '../core/api.js';
import * as live from '../realtime/live.js';
import { badge } from '../ui/badge.js';
import { confirmDialog } from '../ui/dialog.js';
import { Refresher } from '../core/refresher.js';
import { duration, num } from '../core/format.js';
import { pacingPanel } from './system-pacing.js';
import { hoursPanel } from './system-hours.js';

export const MAX_LINES = 10000;

function mb(bytes) { return `${(Number(bytes || 0) / 1048576).toFixed(1)} MB`; }

export function mount(root) {
  const facts = h('dl', { class: 'kv', 'data-section': 'status' });
  const result = h('p', { class: 'notice', role: 'status', hidden: true });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const pause = h('button', { type: 'button', class: 'btn btn-danger' }, 'Pause queue');
  const resume = h('button', { type: 'button', class: 'btn btn-primary' }, 'Resume queue');
  const reset = h('button', { type: 'button', class: 'btn' }, 'Reset stuck leads');
  const lines = h('input', { type: 'number', min: 1, max: MAX_LINES, step: 1, name: 'maxConcurrentCalls', required: true });
  const linesForm = h('form', { class: 'filters', 'aria-label': 'Lines' }, field('Max concurrent calls', lines),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Set lines'));
  const showError = (text) => { error.textContent = text; error.hidden = false; };
  const pacing = pacingPanel((body) => control(body), showError);
  const hours = hoursPanel((body) => control(body), showError);
  root.append(h('div', { class: 'page-head' }, h('h1', {}, 'System')), error, result,
    h('div', { class: 'grid grid-2' },
      h('section', { class: 'card' }, h('h2', {}, 'Status'), facts),
      h('section', { class: 'card' }, h('h2', {}, 'Queue control'),
        h('div', { class: 'row' }, pause, resume, reset), h('hr', { class: 'sep' }), linesForm)),
    h('div', { class: 'grid grid-2' }, pacing.section, hours.section));

  let status = null;
  const refresher = new Refresher(async () => {
    try {
      status = (await api.get('/api/admin/system-status')).systemStatus;
      error.hidden = true;
      const q = status.callQueue || {};
      const paused = q.paused === true || q.isRunning === false;
      pause.disabled = paused;
      resume.disabled = !paused;
      if (document.activeElement !== lines) lines.value = q.maxConcurrentCalls ?? '';
      replace(facts,
        h('dt', {}, 'Queue'), h('dd', { 'data-field': 'queue' }, badge(paused ? 'paused' : 'running')),
        h('dt', {}, 'Database'), h('dd', {}, status.database === 'connected' ? '✓ Connected' : `✕ ${status.database}`),
        h('dt', {}, 'queue-daemon'), h('dd', {}, badge(status.queueDaemon?.reachable ? 'online' : 'offline')),
        h('dt', {}, 'dialer-daemon'), h('dd', {}, badge(status.dialer?.reachable ? 'online' : 'offline'), ' ', status.dialer?.provider || ''),
        h('dt', {}, 'Lines in use'), h('dd', {}, `${num(q.activeCalls)} / ${num(q.maxConcurrentCalls)}`),
        h('dt', {}, 'Realtime connections'), h('dd', {}, num(status.activeConnections)),
        h('dt', {}, 'Gateway memory'), h('dd', {}, `${mb(status.memory?.rss)} resident`),
        h('dt', {}, 'Uptime'), h('dd', {}, duration(status.uptime)),
        h('dt', {}, 'Environment'), h('dd', {}, status.environment || '—'));
      pacing.show(q);
      hours.show(q);
    } catch (err) {
      error.textContent = `Status could not be loaded: ${err.text}`;
      error.hidden = false;
    }
  }, { minGapMs: 1000 });

  async function control(body) {
    result.hidden = true;
    error.hidden = true;
    try {
      const answer = await api.post('/api/admin/system/control', body);
      result.textContent = `✓ ${answer.message || 'Done'}`;
      result.hidden = false;
    } catch (err) {
      error.textContent = err.text;
      error.hidden = false;
    }
    refresher.poke();
  }

  pause.addEventListener('click', async () => {
    if (await confirmDialog({ title: 'Pause the queue?', message: 'No new calls will be placed until the queue is resumed. Calls in progress continue.', confirmLabel: 'Pause queue', danger: true })) control({ action: 'pause_queue' });
  });
  resume.addEventListener('click', async () => {
    if (await confirmDialog({ title: 'Resume the queue?', message: 'The dialer starts placing calls again.', confirmLabel: 'Resume queue' })) control({ action: 'resume_queue' });
  });
  reset.addEventListener('click', async () => {
    if (await confirmDialog({ title: 'Reset stuck leads?', message: 'Leads left in calling or answered without a live call go back to pending (or on by their call’s final status).', confirmLabel: 'Reset stuck leads' })) control({ action: 'reset_stuck_leads' });
  });
  linesForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = Number(lines.value);
    if (!Number.isInteger(value) || value < 1 || value > MAX_LINES) {
      error.textContent = `Max concurrent calls must be a whole number from 1 to ${num(MAX_LINES)}.`;
      error.hidden = false;
      return;
    }
    if (await confirmDialog({ title: 'Change the lines?', message: `At most ${num(value)} calls will run at once.`, confirmLabel: 'Set lines' })) {
      control({ action: 'set_max_concurrent_calls', value });
    }
  });
  const off = ['queue_paused', 'queue_resumed', 'stuck_leads_reset', 'queue_settings_changed', 'operator_state_changed', 'resync'].map((n) => live.on(n, () => refresher.poke()));
  refresher.poke();
  return () => { off.forEach((fn) => fn()); refresher.stop(); };
}
