// Operator workspace: the availability switch, the screen pop when a lead is assigned
// (`lead_assigned`: name, phone, priority, notes, previous attempts, the call's running timer),
// and the outcome form that works during the call (the outcome ends it) and after it (notes are
// added to the call as it ended). Today's figures reload when one of the operator's calls changes.
import { h, replace, setText, field, select } from '../core/dom.js';
import * as api from '../core/api.js';
import * as live from '../realtime/live.js';
import * as session from '../core/session.js';
import { badge } from '../ui/badge.js';
import { toast } from '../ui/toast.js';
import { Refresher } from '../core/refresher.js';
import { duration, dateTime, num, label, LIVE_STATUSES } from '../core/format.js';

export const TIMER_MS = 250;
export const NOTES_MAX = 1000;
const OUTCOMES = [['completed', 'Talked — call completed'], ['busy', 'Busy'], ['no-answer', 'No answer'], ['failed', 'Failed']];

export function mount(root) {
  const me = session.user();
  const toggle = h('input', { type: 'checkbox', role: 'switch', id: 'availability', 'aria-describedby': 'availability-state' });
  const toggleState = h('span', { id: 'availability-state', class: 'muted' });
  const stats = h('dl', { class: 'kv' });
  const pop = h('section', { class: 'card screen-pop', 'aria-live': 'assertive', 'aria-labelledby': 'pop-title', hidden: true });
  const waiting = h('section', { class: 'card waiting' },
    h('p', {}, 'Waiting for the next answered call…'),
    h('p', { class: 'muted' }, 'When a lead answers, it appears here with the call timer and the outcome form.'));

  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Workspace'),
      h('div', { class: 'row' }, h('label', { class: 'switch', for: 'availability' }, toggle, 'Available for calls'), toggleState)),
    pop, waiting,
    h('section', { class: 'card' }, h('h2', {}, 'Today'), stats));

  function showAvailability(value) {
    toggle.checked = !!value;
    setText(toggleState, value ? '✓ You receive calls' : '– You receive no calls');
  }
  toggle.addEventListener('change', async () => {
    const wanted = toggle.checked;
    toggle.disabled = true;
    try {
      const answer = await api.put('/api/operator/profile/availability', { isAvailable: wanted });
      showAvailability(answer.isAvailable ?? wanted);
      session.updateUser({ isAvailable: answer.isAvailable ?? wanted });
    } catch (err) {
      showAvailability(!wanted);
      toast(`Availability not changed: ${err.text}`, 'error');
    } finally {
      toggle.disabled = false;
    }
  });

  // --- screen pop -------------------------------------------------------------------------------
  let current = null;   // {callId, lead, since, status, endedAt}
  const timer = h('span', { class: 'timer', role: 'timer', 'aria-label': 'Call duration' }, '0:00');
  const callState = h('span');
  const history = h('div');
  const outcome = select(OUTCOMES, 'completed', { name: 'status' });
  const notes = h('textarea', { name: 'notes', maxlength: NOTES_MAX, rows: 4 });
  const outcomeHint = h('small', { class: 'hint' });
  const formError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const saved = h('p', { class: 'notice', role: 'status', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save outcome');
  const done = h('button', { type: 'button', class: 'btn', onclick: () => closePop() }, 'Close — ready for the next call');
  const form = h('form', { class: 'form', 'aria-label': 'Call outcome' },
    field('Outcome', outcome), outcomeHint, field('Notes', notes, `Up to ${NOTES_MAX} characters`), formError, saved,
    h('div', { class: 'row' }, save, done));

  function renderCallState() {
    if (!current) return;
    replace(callState, badge(current.status));
    const ended = !LIVE_STATUSES.includes(current.status);
    outcome.disabled = ended;
    if (ended) {
      if (OUTCOMES.some(([v]) => v === current.status)) outcome.value = current.status;
      setText(outcomeHint, `The call ended as “${label(current.status)}”. You can still add notes.`);
    } else {
      setText(outcomeHint, 'Saving an outcome now ends the call.');
    }
  }

  async function openPop(payload) {
    const lead = payload.lead || {};
    current = { callId: payload.callId, lead, since: Date.parse(payload.timestamp) || Date.now(), status: 'answered', endedAt: null };
    notes.value = '';
    formError.hidden = true;
    saved.hidden = true;
    outcome.value = 'completed';
    replace(history, h('p', { class: 'muted' }, 'Loading previous calls…'));
    replace(pop,
      h('div', { class: 'page-head' }, h('h2', { id: 'pop-title' }, '☎ Incoming lead'), h('div', { class: 'row' }, callState, timer)),
      h('div', { class: 'grid grid-2' },
        h('div', {},
          h('p', { class: 'pop-name', 'data-field': 'name' }, lead.name || 'Unnamed lead'),
          h('p', { class: 'pop-phone', 'data-field': 'phone' }, lead.phone || ''),
          h('dl', { class: 'kv' },
            h('dt', {}, 'Priority'), h('dd', {}, badge(lead.priority)),
            h('dt', {}, 'Previous attempts'), h('dd', { 'data-field': 'attempts' }, num(lead.callAttempts || 0)),
            h('dt', {}, 'Email'), h('dd', {}, lead.email || '—'),
            h('dt', {}, 'Tags'), h('dd', {}, (lead.tags || []).join(', ') || '—'),
            h('dt', {}, 'Notes'), h('dd', { 'data-field': 'notes' }, lead.notes || '—')),
          h('h3', {}, 'Previous calls'), history),
        form));
    pop.hidden = false;
    waiting.hidden = true;
    renderCallState();
    tick();
    notes.focus();
    if (lead.id) {
      try {
        const detail = await api.get(`/api/leads/${encodeURIComponent(lead.id)}`);
        const calls = (detail.lead.callHistory || []).filter((c) => c.id !== current?.callId);
        replace(history, calls.length ? h('ul', {}, calls.map((c) =>
          h('li', {}, `${dateTime(c.startTime)} · ${label(c.status)} · ${duration(c.duration)}`,
            c.salesperson?.name ? ` · ${c.salesperson.name}` : ''))) : h('p', { class: 'muted' }, 'No earlier calls.'));
      } catch (err) {
        replace(history, h('p', { class: 'muted' }, `Previous calls unavailable: ${err.text}`));
      }
    }
  }

  function closePop() {
    current = null;
    pop.hidden = true;
    waiting.hidden = false;
  }

  function tick() {
    if (!current) return;
    const end = current.endedAt ?? Date.now();
    setText(timer, duration((end - current.since) / 1000));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!current) return;
    formError.hidden = true;
    saved.hidden = true;
    const body = { notes: notes.value };
    if (LIVE_STATUSES.includes(current.status)) body.status = outcome.value;
    save.disabled = true;
    try {
      const answer = await api.put(`/api/operator/calls/${encodeURIComponent(current.callId)}/update`, body);
      if (answer.call?.status) {
        current.status = answer.call.status;
        if (!LIVE_STATUSES.includes(current.status) && !current.endedAt) current.endedAt = Date.now();
      }
      renderCallState();
      tick();
      saved.textContent = '✓ Outcome saved.';
      saved.hidden = false;
      today.poke();
    } catch (err) {
      formError.textContent = err.text;
      formError.hidden = false;
    } finally {
      save.disabled = false;
    }
  });

  // --- today's figures ----------------------------------------------------------------------------
  const today = new Refresher(async () => {
    try {
      const d = (await api.get('/api/operator/dashboard')).dashboard || {};
      const s = d.personalStats || {};
      replace(stats,
        h('dt', {}, 'Calls today'), h('dd', {}, num(s.todayCalls)),
        h('dt', {}, 'Answered (all time)'), h('dd', {}, num(s.answeredCalls)),
        h('dt', {}, 'Completed (all time)'), h('dd', {}, num(s.completedCalls)),
        h('dt', {}, 'Average talk time'), h('dd', {}, duration(s.averageDuration)),
        h('dt', {}, 'Rank'), h('dd', {}, typeof d.operatorRank === 'number' ? `#${d.operatorRank}` : (d.operatorRank || '—')));
    } catch (err) {
      replace(stats, h('dd', { class: 'muted' }, `Figures unavailable: ${err.text}`));
    }
  }, { minGapMs: 2000 });

  /** After a reload or a reconnection: the call the operator is on, if any, pops again. */
  async function restorePop() {
    if (current) return;
    try {
      const answer = await api.get('/api/operator/calls/history', { status: 'answered', limit: 1 });
      const call = answer.calls && answer.calls[0];
      if (!call || current || !call.lead?.id) return;
      const lead = (await api.get(`/api/leads/${encodeURIComponent(call.lead.id)}`)).lead;
      if (current) return;
      await openPop({ callId: call.id, lead, timestamp: call.answerTime || call.startTime || call.createdAt });
    } catch { /* nothing to restore */ }
  }

  async function loadMe() {
    try {
      const answer = await api.get('/api/auth/me');
      showAvailability(answer.user?.isAvailable);
    } catch { showAvailability(me?.isAvailable); }
  }

  const off = [
    live.on('lead_assigned', (p) => { if (!p || p.operatorId === me.id) openPop(p || {}); }),
    live.on('call_status_updated', (p) => {
      if (!p || (p.salespersonId && p.salespersonId !== me.id)) return;
      if (current && p.callId === current.callId) {
        current.status = p.status;
        if (!LIVE_STATUSES.includes(p.status) && !current.endedAt) current.endedAt = Date.parse(p.timestamp) || Date.now();
        renderCallState();
        tick();
      }
      if (!LIVE_STATUSES.includes(p.status) || p.status === 'initiated') today.poke();
    }),
    live.on('user_availability_changed', (p) => { if (p && p.userId === me.id) showAvailability(p.isAvailable); }),
    live.on('resync', () => { loadMe(); restorePop(); today.poke(); }),
  ];
  const ticker = setInterval(tick, TIMER_MS);
  showAvailability(me?.isAvailable);
  loadMe();
  restorePop();
  today.poke();
  return () => { for (const fn of off) fn(); clearInterval(ticker); today.stop(); };
}
