// The console's one realtime connection: Engine.IO over WebSocket, Socket.IO CONNECT with the
// token as `auth`, then the server's events fanned out to the pages that listen. The connection
// state (connecting / live / offline) is shown in the top bar; after every (re)connection pages
// get a `resync` so they reload what they may have missed while offline. A CONNECT_ERROR or an
// `auth_error` means the token is no longer good: the caller checks it through the REST API,
// whose 401 ends the session.
import { EngineSocket } from './engineio.js';
import * as sio from './socketio.js';

const listeners = new Map();
const statusListeners = new Set();
let engine = null;
let status = 'offline';
let authToken = null;
let nextAck = 1;
const pendingAcks = new Map();
let onAuthProblem = () => {};

function setStatus(value) {
  if (status === value) return;
  status = value;
  for (const fn of statusListeners) fn(value);
}

function dispatch(name, payload) {
  const set = listeners.get(name);
  if (set) for (const fn of [...set]) fn(payload);
}

function message(text) {
  const packet = sio.decode(text);
  if (!packet) return;
  if (packet.type === sio.CONNECT) {
    setStatus('live');
    dispatch('resync', null);
  } else if (packet.type === sio.EVENT) {
    const [name, payload] = packet.data;
    if (name === 'auth_error') onAuthProblem(payload);
    dispatch(name, payload);
  } else if (packet.type === sio.ACK) {
    const resolve = pendingAcks.get(packet.id);
    pendingAcks.delete(packet.id);
    if (resolve) resolve(Array.isArray(packet.data) ? packet.data[0] : packet.data);
  } else if (packet.type === sio.CONNECT_ERROR) {
    setStatus('offline');
    onAuthProblem(packet.data);
  } else if (packet.type === sio.DISCONNECT) {
    setStatus('offline');
    onAuthProblem(null);
  }
}

/** Connects with `token`; `authProblem(payload)` is called when the server refuses it. */
export function start(token, authProblem) {
  stop();
  authToken = token;
  onAuthProblem = authProblem || (() => {});
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  engine = new EngineSocket(`${scheme}://${location.host}/socket.io/?EIO=4&transport=websocket`, {
    onOpen: () => { setStatus('connecting'); engine.send(sio.encodeConnect({ token: authToken })); },
    onMessage: message,
    onClose: () => setStatus('offline'),
  });
  setStatus('connecting');
  engine.start();
}

export function stop() {
  if (engine) engine.stop();
  engine = null;
  authToken = null;
  for (const resolve of pendingAcks.values()) resolve({ ok: false, message: 'Disconnected' });
  pendingAcks.clear();
  setStatus('offline');
}

/** Emits `name` with `payload`; resolves with the server's ack (or a failure after `timeoutMs`). */
export function emit(name, payload, timeoutMs = 5000) {
  return new Promise((resolve) => {
    if (!engine || status !== 'live') return resolve({ ok: false, message: 'Not connected' });
    const id = nextAck++;
    pendingAcks.set(id, resolve);
    setTimeout(() => {
      if (pendingAcks.delete(id)) resolve({ ok: false, message: 'No answer from the server' });
    }, timeoutMs);
    engine.send(sio.encodeEvent(name, [payload], id));
  });
}

/** Listens to a server event (or `resync`); returns the function that stops listening. */
export function on(name, fn) {
  if (!listeners.has(name)) listeners.set(name, new Set());
  listeners.get(name).add(fn);
  return () => listeners.get(name)?.delete(fn);
}

export function onStatus(fn) {
  statusListeners.add(fn);
  fn(status);
  return () => statusListeners.delete(fn);
}

export function currentStatus() { return status; }
