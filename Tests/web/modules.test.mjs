// Unit tests of the console's pure modules under Node's test runner (run by
// Tests/integration/test_web_modules.py): the Socket.IO packet codec, reconnect back-off, the
// Engine.IO client's ping/pong and reconnection against a fake WebSocket, the wallboard model,
// CSV export escaping, hash routes and the Refresher's coalescing.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';

// Timers and Date.now are mocked where a test is about time (mock.timers): the clock moves when
// the test says, so "nothing happened by then" needs no real wait.
const flush = () => new Promise((resolve) => setImmediate(resolve));
/** Moves the mocked clock `ms` forward a millisecond at a time, running promise continuations between. */
async function advance(ms) {
  for (let i = 0; i < ms; i += 1) { mock.timers.tick(1); await flush(); }
}
async function withMockedTime(body) {
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 });
  try { await body(); } finally { mock.timers.reset(); }
}

const web = new URL('../../web/assets/js/', import.meta.url);
const load = (path) => import(new URL(path, web));

test('socket.io packets encode and decode', async () => {
  const sio = await load('realtime/socketio.js');
  assert.equal(sio.encodeConnect({ token: 't' }), '0{"token":"t"}');
  assert.equal(sio.encodeEvent('update_availability', [{ isAvailable: true }], 7), '27["update_availability",{"isAvailable":true}]');
  assert.deepEqual(sio.decode('2["lead_assigned",{"callId":"c"}]'), { type: 2, id: null, data: ['lead_assigned', { callId: 'c' }] });
  assert.deepEqual(sio.decode('312[{"ok":true}]'), { type: 3, id: 12, data: [{ ok: true }] });
  assert.deepEqual(sio.decode('0{"sid":"abc"}'), { type: 0, id: null, data: { sid: 'abc' } });
  assert.deepEqual(sio.decode('4{"message":"Authentication failed"}').data, { message: 'Authentication failed' });
  assert.equal(sio.decode('2/admin,["x"]'), null, 'other namespaces are ignored');
  assert.deepEqual(sio.decode('2/,["x"]').data, ['x']);
  for (const bad of ['', '9', '2{not json', '2[1]', '2{"a":1}']) assert.equal(sio.decode(bad), null, bad);
});

test('back-off grows, is capped and jittered', async () => {
  const { backoffDelay, BACKOFF_BASE_MS, BACKOFF_MAX_MS, BACKOFF_JITTER } = await load('realtime/backoff.js');
  assert.equal(backoffDelay(0, () => 0.5), BACKOFF_BASE_MS);
  assert.equal(backoffDelay(1, () => 0.5), BACKOFF_BASE_MS * 2);
  assert.equal(backoffDelay(50, () => 0.5), BACKOFF_MAX_MS);
  assert.equal(backoffDelay(0, () => 0), BACKOFF_BASE_MS * (1 - BACKOFF_JITTER));
  assert.equal(backoffDelay(0, () => 1), BACKOFF_BASE_MS * (1 + BACKOFF_JITTER));
});

test('engine.io client answers pings, delivers messages and reconnects', () => withMockedTime(async () => {
  const { EngineSocket } = await load('realtime/engineio.js');
  const { BACKOFF_BASE_MS, BACKOFF_JITTER } = await load('realtime/backoff.js');
  const sockets = [];
  class FakeWS {
    constructor(url) { this.url = url; this.sent = []; this.readyState = 1; sockets.push(this); }
    send(data) { this.sent.push(data); }
    close() { this.readyState = 3; setTimeout(() => this.onclose && this.onclose(), 0); }
  }
  const seen = [];
  let opens = 0;
  let closes = 0;
  const engine = new EngineSocket('ws://x/socket.io/?EIO=4&transport=websocket', {
    WebSocketImpl: FakeWS, onOpen: () => { opens += 1; }, onMessage: (m) => seen.push(m), onClose: () => { closes += 1; },
  });
  engine.start();
  const ws = sockets[0];
  ws.onmessage({ data: '0{"sid":"s","pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}' });
  assert.equal(opens, 1);
  ws.onmessage({ data: '2' });
  assert.deepEqual(ws.sent, ['3'], 'pong');
  ws.onmessage({ data: '42["authenticated",{}]' });
  assert.deepEqual(seen, ['2["authenticated",{}]']);
  engine.send('0{"token":"t"}');
  assert.equal(ws.sent[1], '40{"token":"t"}');
  ws.onclose();
  assert.equal(closes, 1);
  assert.equal(sockets.length, 1, 'not at once');
  await advance(BACKOFF_BASE_MS * (1 + BACKOFF_JITTER));   // the first retry's longest delay
  assert.equal(sockets.length, 2, 'reconnected');
  engine.stop();
  assert.equal(sockets[1].sent.at(-1), '1', 'close packet on stop');
}));

test('wallboard model follows call, presence, availability and queue events', async () => {
  const m = await load('pages/wallboard-model.js');
  const model = m.createModel();
  m.applyUsers(model, [{ id: 'u1', name: 'Olga', role: 'salesperson', isAvailable: false, isActive: true },
    { id: 'a', name: 'Admin', role: 'admin' }, { id: 'u2', name: 'Old', role: 'operator', isAvailable: true }]);
  assert.equal(model.operators.size, 2, 'admins are not operators; both operator role names are');
  m.applyCalls(model, [{ id: 'c0', status: 'completed' }, { id: 'c1', status: 'ringing', lead: { id: 'l1', name: 'N', phone: '+1' }, salesperson: null, to: '+1', startTime: '2026-01-01T00:00:00.000Z' }]);
  assert.deepEqual([...model.calls.keys()], ['c1']);
  const t = '2026-01-01T00:00:05.000Z';
  assert.ok(m.applyEvent(model, 'call_status_updated', { callId: 'c2', status: 'initiated', salespersonId: 'u1', phone: '+2', timestamp: t }, 0));
  assert.ok(m.applyEvent(model, 'call_status_updated', { callId: 'c2', status: 'answered', salespersonId: 'u1', timestamp: t }, 0));
  assert.equal(model.calls.get('c2').status, 'answered');
  assert.equal(model.calls.get('c2').since, Date.parse(t), 'duration counts from the first event');
  assert.equal(m.operatorsOnCall(model).get('u1').callId, 'c2');
  m.applyEvent(model, 'call_status_updated', { callId: 'c2', status: 'completed', timestamp: t }, 0);
  assert.equal(model.calls.has('c2'), false);
  m.applyEvent(model, 'user_online', { userId: 'u1' }, 0);
  m.applyEvent(model, 'user_availability_changed', { userId: 'u1', isAvailable: true }, 0);
  assert.deepEqual([model.operators.get('u1').online, model.operators.get('u1').isAvailable], [true, true]);
  m.applyPresence(model, ['u2']);
  assert.deepEqual([model.operators.get('u1').online, model.operators.get('u2').online], [false, true]);
  m.applyEvent(model, 'user_online', { userId: 'u1' }, 0);
  m.applyUsers(model, [{ id: 'u1', name: 'Olga', role: 'salesperson', isAvailable: true }]);
  assert.equal(model.operators.get('u1').online, true, 'presence survives a reload of the users');
  m.applyEvent(model, 'queue_paused', {}, 0);
  assert.equal(model.queue.paused, true);
  assert.equal(m.applyEvent(model, 'user_online', { userId: 'nobody' }, 0), false);
  m.applySnapshot(model, { systemStatus: { callQueue: { paused: false, activeCalls: 2, maxConcurrentCalls: 5,
    slaMisses: { total: 3 }, leads: { pending: 4, claimed: 0, calling: 1, answered: 0, transferred: 2, failed: 1 } } } },
  { dashboard: { leadStats: { totalLeads: 8 }, priorityBreakdown: [{ _id: 'urgent', count: 2 }], callStats: { todayCalls: 9 } } });
  assert.deepEqual([model.leads.pending, model.leads.total, model.priorities.urgent, model.today.todayCalls, model.queue.slaMisses, model.queue.paused],
    [4, 8, 2, 9, 3, false]);
});

test('csv export quotes and defuses formulas', async () => {
  const { csvCell, toCSV } = await load('core/csv.js');
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
  assert.equal(csvCell('-1'), "'-1");
  assert.equal(csvCell(null), '');
  assert.equal(toCSV(['line', 'error'], [[3, 'Invalid phone']]), 'line,error\r\n3,Invalid phone\r\n');
});

test('hash routes match with parameters', async () => {
  const { matchRoute } = await load('core/router.js');
  const routes = [{ path: '/leads' }, { path: '/leads/:id' }];
  assert.equal(matchRoute(routes, '#/leads').route.path, '/leads');
  assert.deepEqual(matchRoute(routes, '#/leads/abc%20d').params, { id: 'abc d' });
  assert.equal(matchRoute(routes, '#/users'), null);
  assert.equal(matchRoute(routes, ''), null);
});

test('refresher coalesces a burst into a leading and a trailing load', () => withMockedTime(async () => {
  const { Refresher } = await load('core/refresher.js');
  let loads = 0;
  const r = new Refresher(async () => { loads += 1; await new Promise((res) => setTimeout(res, 20)); }, { minGapMs: 100, safetyMs: 60000 });
  for (let i = 0; i < 50; i += 1) r.poke();
  await flush();
  assert.equal(loads, 1, 'the first poke loads at once');
  await advance(99);
  assert.equal(loads, 1, 'the next load waits for the gap after the first one started');
  await advance(1);
  assert.equal(loads, 2, 'the rest of the burst costs one more load');
  await advance(1000);
  assert.equal(loads, 2, 'and nothing after it');
  r.stop();
}));

test('refresher with settleMs loads once more after a quiet spell', () => withMockedTime(async () => {
  const { Refresher } = await load('core/refresher.js');
  let loads = 0;
  const r = new Refresher(async () => { loads += 1; }, { minGapMs: 10, safetyMs: 60000, settleMs: 80 });
  r.poke();
  await flush();
  assert.equal(loads, 1);
  await advance(79);
  assert.equal(loads, 1, 'not before the quiet spell');
  await advance(1);
  assert.equal(loads, 2, 'one settle load');
  await advance(1000);
  assert.equal(loads, 2, 'and only one');
  r.stop();
}));

test('background reloads spread what is left of the rate-limit window', async () => {
  const api = await load('core/api.js');
  const realFetch = globalThis.fetch;
  globalThis.fetch = async () => new Response('{}', { status: 200, headers: { 'RateLimit-Remaining': '30', 'RateLimit-Reset': '100' } });
  try {
    await api.get('/api/x');
    const gap = api.budgetGapMs();
    assert.ok(gap > 4900 && gap <= 5000, `100 s over 30 - ${api.RATE_RESERVE} requests: ${gap}`);
    globalThis.fetch = async () => new Response('{}', { status: 200, headers: { 'RateLimit-Remaining': '5', 'RateLimit-Reset': '40' } });
    await api.get('/api/x');
    assert.ok(api.budgetGapMs() > 39000, 'below the reserve: wait for the window');
    globalThis.fetch = async () => new Response('{}', { status: 200 });
    await api.get('/api/x');
    assert.equal(api.budgetGapMs(), 0, 'no limit, no pacing');
  } finally {
    globalThis.fetch = realFetch;
  }
});

test('wallboard banner: the queue says why nothing can dial, and clears', async () => {
  const m = await load('pages/wallboard-model.js');
  const model = m.createModel();
  assert.equal(m.idleBanner(model), null, 'nothing known yet');
  m.applySnapshot(model, { systemStatus: { callQueue: { paused: true, explanation: {
    idle: true, reason: 'paused', message: 'Nothing can dial: the queue is paused; lines 0/5' } } } }, null);
  assert.equal(m.idleBanner(model), 'Nothing can dial: the queue is paused; lines 0/5');
  assert.ok(m.applyEvent(model, 'queue_explained', { idle: false, reason: null, message: 'Dialing: lines 1/5' }, 0));
  assert.equal(m.idleBanner(model), null, 'dialing again: no banner');
  m.applyEvent(model, 'queue_explained', { idle: true, reason: 'outside_calling_hours' }, 0);
  assert.equal(m.idleBanner(model), 'Nothing can dial: outside_calling_hours');
  m.applySnapshot(model, { systemStatus: { callQueue: {} } }, null);
  assert.equal(m.idleBanner(model), null, 'a queue-daemon without an explanation shows none');
});

test('lead dialability in words: callable, each reason with its time, unknown codes, no answer', async () => {
  const d = await load('core/dialability.js');
  const at = (iso) => `<${iso}>`;
  assert.deepEqual(d.describeDialability({ callable: true, firstReason: null, reasons: [], nextCallableAt: null }, at),
    { callable: true, headline: 'Callable now', details: [] });
  const held = d.describeDialability({ callable: false, firstReason: 'retry_wait', nextCallableAt: 'T2', reasons: [
    { reason: 'retry_wait', until: 'T1' },
    { reason: 'outside_calling_hours', until: 'T2', localTime: '21:05' }] }, at);
  assert.equal(held.callable, false);
  assert.equal(held.headline, 'Waiting to retry until <T1>');
  assert.deepEqual(held.details, ['Outside calling hours (local time 21:05) opens <T2>', 'Callable again at <T2>']);
  assert.equal(d.reasonText({ reason: 'do_not_call' }), 'On the do-not-call list: never dialed');
  assert.equal(d.reasonText({ reason: 'claimed', operatorId: 'op-7' }), 'Claimed by operator op-7');
  assert.equal(d.reasonText({ reason: 'not_pending', status: 'deleted' }), 'The lead is deleted');
  assert.equal(d.reasonText({ reason: 'not_pending', status: 'answered' }), 'The lead is answered');
  assert.equal(d.reasonText({ reason: 'callback_reserved', operatorId: 'op-2', until: 'T3' }, at), 'Call-back reserved for operator op-2 until <T3>');
  assert.equal(d.reasonText({ reason: 'some_new_reason' }), 'Some new reason', 'a reason added later is still shown');
  assert.equal(d.reasonText(null), 'Unknown reason');
  assert.equal(d.describeDialability(null).headline, 'Unknown: the queue did not answer');
  assert.equal(d.describeDialability({ callable: false, firstReason: 'paused', reasons: [] }).headline, 'The queue is paused');
  const lasting = d.describeDialability({ callable: false, firstReason: 'do_not_call', nextCallableAt: null, reasons: [{ reason: 'do_not_call' }] });
  assert.deepEqual(lasting.details, [], 'a lasting reason has no "callable again"');
});
