// Unit tests of the console's pure modules added for issues 12–14 (run with the others by
// Tests/integration/test_web_modules.py): pacing figures in words, the per-frame event batch,
// and the wallboard model's operator states.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const web = new URL('../../web/assets/js/', import.meta.url);
const load = (path) => import(new URL(path, web));

test('pacing figures: rates, dial level, states and the cap warning', async () => {
  const f = await load('core/pacing-figures.js');
  assert.equal(f.rateText(null), '—');
  assert.equal(f.rateText(0), '0%');
  assert.equal(f.rateText(0.03), '3%');
  assert.equal(f.rateText(0.0125), '1.3%');
  assert.equal(f.rateText(0.25), '25%');
  assert.equal(f.dialLevel(6, { available: 1, on_call: 2, wrap_up: 1, unavailable: 9 }), 1.5);
  assert.equal(f.dialLevel(3, { unavailable: 2 }), null, 'nobody staffed');
  const figures = f.pacingFigures({
    activeCalls: 9, operatorStates: { available: 2, on_call: 3, wrap_up: 1, unavailable: 4 },
    pacing: { mode: 'predictive', effectiveMode: 'progressive', reason: 'abandon_cap_reached', maxAbandonRate: 0.03,
      abandonRateToday: 0.02, abandonRate30Days: 0.031, abandonedToday: 2, answeredToday: 100, abandoned30Days: 31,
      answered30Days: 1000, maxLinesPerOperator: 3 },
  });
  assert.equal(figures.effectiveText, 'Progressive (set: Predictive)');
  assert.equal(figures.reasonText, 'abandon cap reached: progressive');
  assert.equal(figures.todayText, '2% (2 of 100)');
  assert.equal(figures.days30Text, '3.1% (31 of 1000)');
  assert.equal(figures.overCap, true);
  assert.equal(figures.dialLevelText, '1.5 (max 3)');
  assert.deepEqual(figures.states.map((s) => [s.key, s.text, s.count]),
    [['available', 'Available', 2], ['on_call', 'On call', 3], ['wrap_up', 'Wrap-up', 1], ['unavailable', 'Break', 4]]);
  const empty = f.pacingFigures({});
  assert.equal(empty.modeText, 'Progressive');
  assert.equal(empty.capText, '3%');
  assert.equal(empty.overCap, false);
  assert.equal(empty.dialLevelText, '—');
  assert.equal(f.stateLabel('wrap_up'), 'Wrap-up');
  assert.equal(f.stateLabel('weird'), 'weird');
});

test('frame batch hands a burst to one flush per frame and waits without a frame loop', async () => {
  const { FrameBatch } = await load('core/frame-batch.js');
  const frames = [];
  const timers = [];
  const flushed = [];
  const batch = new FrameBatch((items, now) => flushed.push([items, now]), {
    request: (fn) => { frames.push(fn); return frames.length; }, cancel: () => {},
    setTimer: (fn, ms) => { timers.push([fn, ms]); return timers.length; }, clearTimer: () => {},
  });
  for (let i = 0; i < 500; i += 1) batch.push(i);
  assert.equal(frames.length, 1, 'one frame requested for the burst');
  frames.shift()(16);
  assert.equal(flushed.length, 1);
  assert.equal(flushed[0][0].length, 500);
  assert.equal(flushed[0][1], 16);
  batch.later(300);
  batch.later(100);
  assert.equal(timers.length, 1, 'one pending timer');
  assert.equal(frames.length, 0, 'no frame while waiting');
  timers[0][0]();
  assert.equal(frames.length, 1);
  frames.shift()(400);
  assert.deepEqual(flushed[1], [[], 400]);
  batch.stop();
  batch.push('late');
  assert.equal(frames.length, 0, 'stopped');
});

test('wallboard model keeps operator states from the users list and events', async () => {
  const m = await load('pages/wallboard-model.js');
  const model = m.createModel();
  m.applyUsers(model, [{ id: 'u1', name: 'Ann', role: 'salesperson', isAvailable: true, operatorState: 'available' },
    { id: 'a', name: 'Admin', role: 'admin' }]);
  assert.equal(model.operatorsVersion, 1);
  assert.equal(model.operators.get('u1').state, 'available');
  assert.equal(m.applyEvent(model, 'operator_state_changed', { operatorId: 'u1', state: 'on_call', previousState: 'available' }, 0), true);
  assert.equal(model.operators.get('u1').state, 'on_call');
  assert.equal(m.applyEvent(model, 'operator_state_changed', { operatorId: 'u1', state: 'on_call' }, 0), false, 'no change');
  assert.equal(m.applyEvent(model, 'operator_state_changed', { operatorId: 'nobody', state: 'wrap_up' }, 0), false);
  m.applyUsers(model, [{ id: 'u1', name: 'Ann', role: 'salesperson', isAvailable: true }]);
  assert.equal(model.operators.get('u1').state, 'on_call', 'kept when the list has no state');
  assert.equal(model.operatorsVersion, 2);
  m.applySnapshot(model, { systemStatus: { callQueue: { pacing: { mode: 'predictive' }, operatorStates: { on_call: 1 } } } }, null);
  assert.equal(model.queue.callQueue.pacing.mode, 'predictive');
});
