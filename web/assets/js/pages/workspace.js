// Operator workspace: the availability switch, the screen pop when a lead is assigned
// (`lead_assigned`: name, phone, priority, notes, previous attempts, the call's running timer) or
// when the operator starts a call themselves (manual call, handed over by core/manual-call.js or
// found in their history after a reload), and the outcome form that works during the call (the
// outcome ends it) and after it (notes are added to the call as it ended). Previous calls come
// from the lead's history (with dispositions and notes). Today's figures reload when one of the
// operator's calls changes.
import { h, replace, setText, field, select } from '../core/dom.js';
import * as api from '../core/api.js';
import * as live from '../realtime/live.js';
import * as session from '../core/session.js';
import { badge, setBadge } from '../ui/badge.js';
import { toast } from '../ui/toast.js';
import { Refresher } from '../core/refresher.js';
import { duration, dateTime, num, label, LIVE_STATUSES } from '../core/format.js';
import * as manualCall from '../core/manual-call.js';
import { stateLabel, stateShape } from '../core/pacing-figures.js';

export const TIMER_MS = 250;
export const NOTES_MAX = 1000;
/** An answered call can only end as completed (the dialer's state machine); an ended call keeps its status. */
const LIVE_OUTCOMES = [['completed', 'Talked — call completed']];
/** A manual call not answered yet may also end as one of these (the operator hangs up). */
const RINGING_OUTCOMES = [...LIVE_OUTCOMES, ['no-answer', 'No answer'], ['busy', 'Busy'], ['canceled', 'Hung up — cancel the call']];

export function mount(root) {
  const me = session.user();
  const toggle = h('input', { type: 'checkbox', role: 'switch', id: 'availability', 'aria-describedby': 'availability-state' });
  const toggleState = h('span', { id: 'availability-state', class: 'muted' });
  // The operator's own state (issue 14): on a call, in wrap-up until the outcome is saved, …
  const myState = h('span', { class: 'badge', role: 'status', 'data-field': 'my-state' }, h('span', { class: 'badge-shape', 'aria-hidden': 'true' }), ' ', '');
  myState.hidden = true;
  const stats = h('dl', { class: 'kv' });
  const pop = h('section', { class: 'card screen-pop', 'aria-live': 'assertive', 'aria-labelledby': 'pop-title', hidden: true });
  const waiting = h('section', { class: 'card waiting' },
    h('p', {}, 'Waiting for the next answered call…'),
    h('p', { class: 'muted' }, 'When a lead answers, it appears here with the call timer and the outcome form.'));

  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Workspace'),
      h('div', { class: 'row' }, h('label', { class: 'switch', for: 'availability' }, toggle, 'Available for calls'), toggleState, myState)),
    pop, waiting,
    h('section', { class: 'card' }, h('h2', {}, 'Today'), stats));

  function showState(state) {
    myState.hidden = !state;
    if (!state) return;
    setBadge(myState, state, { kind: `state-${state}`, shape: stateShape(state),
      text: state === 'wrap_up' ? 'Wrap-up: save the outcome to take the next call' : stateLabel(state) });
  }

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
  let current = null;   // {callId, lead, since, status, endedAt, manual}
  const timer = h('span', { class: 'timer', role: 'timer', 'aria-label': 'Call duration' }, '0:00');
  const callState = h('span');
  const history = h('div');
  const outcome = select(LIVE_OUTCOMES, 'completed', { name: 'status' });
  const notes = h('textarea', { name: 'notes', maxlength: NOTES_MAX, rows: 4 });
  // Dispositions (issue 12): the configured names from GET /api/dispositions; `callback` needs a time.
  const disposition = select([['', '— none —']], '', { name: 'disposition' });
  const callbackAt = h('input', { type: 'datetime-local', name: 'callbackAt' });
  const callbackField = field('Call back at', callbackAt, 'Within 30 days, inside the lead’s calling hours');
  callbackField.hidden = true;
  disposition.addEventListener('change', () => { callbackField.hidden = disposition.value !== 'callback'; });
  api.get('/api/dispositions').then((answer) => {
    replace(disposition, [['', '— none —'], ...(answer.dispositions || []).map((d) => [d, label(d)])]
      .map(([value, text]) => h('option', { value }, text)));
  }).catch(() => { /* dispositions unavailable: the form works without */ });
  const outcomeHint = h('small', { class: 'hint' });
  const formError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const saved = h('p', { class: 'notice', role: 'status', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save outcome');
  const done = h('button', { type: 'button', class: 'btn', onclick: () => closePop() }, 'Close — ready for the next call');
  const form = h('form', { class: 'form', 'aria-label': 'Call outcome' },
    field('Outcome', outcome), outcomeHint, field('Disposition', disposition), callbackField,
    field('Notes', notes, `Up to ${NOTES_MAX} characters`), formError, saved,
    h('div', { class: 'row' }, save, done));

  function renderCallState() {
    if (!current) return;
    replace(callState, badge(current.status));
    const ended = !LIVE_STATUSES.includes(current.status);
    outcome.disabled = ended;
    const options = ended ? [[current.status, label(current.status)]] : current.status === 'answered' ? LIVE_OUTCOMES : RINGING_OUTCOMES;
    if (outcome.options.length !== options.length || (ended && outcome.value !== options[0][0])) {
      replace(outcome, options.map(([value, text]) => h('option', { value }, text)));
    }
    if (ended) {
      setText(outcomeHint, `The call ended as “${label(current.status)}”. You can still add notes.`);
    } else if (current.status !== 'answered') {
      setText(outcomeHint, 'The lead has not answered yet. Saving an outcome now ends the call.');
    } else {
      setText(outcomeHint, 'Saving an outcome now ends the call.');
    }
  }

  async function openPop(payload) {
    const lead = payload.lead || {};
    current = { callId: payload.callId, lead, since: Date.parse(payload.timestamp) || Date.now(),
      status: payload.status || 'answered', endedAt: null, manual: !!payload.manual };
    notes.value = '';
    disposition.value = '';
    callbackField.hidden = true;
    formError.hidden = true;
    saved.hidden = true;
    replace(outcome, (current.status === 'answered' ? LIVE_OUTCOMES : RINGING_OUTCOMES).map(([value, text]) => h('option', { value }, text)));
    replace(history, h('p', { class: 'muted' }, 'Loading previous calls…'));
    replace(pop,
      h('div', { class: 'page-head' }, h('h2', { id: 'pop-title' }, current.manual ? '☎ Your call' : '☎ Incoming lead'), h('div', { class: 'row' }, callState, timer)),
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
      const callId = current.callId;
      try {
        const answer = await api.get(`/api/leads/${encodeURIComponent(lead.id)}/history`);
        if (current?.callId !== callId) return;
        const calls = answer.history.calls.filter((c) => c.id !== callId);
        replace(history, calls.length ? h('ul', { 'aria-label': 'Previous calls' }, calls.map((c) =>
          h('li', {}, `${dateTime(c.startTime)} · ${label(c.status)} · ${duration(c.duration)}`,
            c.salesperson?.name ? ` · ${c.salesperson.name}` : '', c.disposition ? ` · ${label(c.disposition)}` : '',
            c.notes ? h('span', { class: 'muted' }, ` — ${c.notes}`) : null))) : h('p', { class: 'muted' }, 'No earlier calls.'));
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
    if (disposition.value) body.disposition = disposition.value;
    if (disposition.value === 'callback' && callbackAt.value) body.callbackAt = new Date(callbackAt.value).toISOString();
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
      if (d.operatorState !== undefined) showState(d.operatorState);
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

  /**
   * After a reload or a reconnection: the call the operator is on, if any, pops again (an answered
   * call, or a manual call of theirs still dialing or ringing).
   */
  async function restorePop() {
    if (current) return;
    try {
      const answer = await api.get('/api/operator/calls/history', { limit: 1 });
      const call = answer.calls && answer.calls[0];
      if (!call || current || !call.lead?.id) return;
      if (!(call.status === 'answered' || (call.mode === 'manual' && LIVE_STATUSES.includes(call.status)))) return;
      const lead = (await api.get(`/api/leads/${encodeURIComponent(call.lead.id)}`)).lead;
      if (current) return;
      await openPop({ callId: call.id, lead, status: call.status, manual: call.mode === 'manual',
        timestamp: call.mode === 'manual' ? call.startTime || call.createdAt : call.answerTime || call.startTime || call.createdAt });
    } catch { /* nothing to restore */ }
  }

  /** A call the operator just started on the available-leads page. */
  function showManualCall(started) {
    return openPop({ callId: started.callId, lead: started.lead, status: started.status, manual: true,
      timestamp: new Date(started.startedAt).toISOString() });
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
    live.on('operator_state_changed', (p) => { if (p && p.operatorId === me.id) showState(p.state); }),
    live.on('resync', () => { loadMe(); restorePop(); today.poke(); }),
  ];
  const ticker = setInterval(tick, TIMER_MS);
  showAvailability(me?.isAvailable);
  loadMe();
  const started = manualCall.take();
  if (started) showManualCall(started); else restorePop();
  today.poke();
  return () => { for (const fn of off) fn(); clearInterval(ticker); today.stop(); };
}
