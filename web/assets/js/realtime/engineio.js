// An Engine.IO v4 client over WebSocket only (no polling): the open packet's ping settings, pong
// answers to the server's pings, a dead-connection timer (pingInterval + pingTimeout without a
// ping closes the socket), and reconnection with jittered exponential back-off.
import { backoffDelay } from './backoff.js';

export const EIO_OPEN = '0';
export const EIO_CLOSE = '1';
export const EIO_PING = '2';
export const EIO_PONG = '3';
export const EIO_MESSAGE = '4';

export class EngineSocket {
  /** url: ws(s)://host/socket.io/?EIO=4&transport=websocket */
  constructor(url, { onOpen, onMessage, onClose, WebSocketImpl = WebSocket } = {}) {
    this.url = url;
    this.onOpen = onOpen || (() => {});
    this.onMessage = onMessage || (() => {});
    this.onClose = onClose || (() => {});
    this.WebSocketImpl = WebSocketImpl;
    this.ws = null;
    this.attempt = 0;
    this.stopped = true;
    this.deadTimer = null;
    this.retryTimer = null;
    this.pingDeadline = 45000;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.deadTimer);
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      try { if (ws.readyState === 1) ws.send(EIO_CLOSE); ws.close(1000); } catch { /* already closed */ }
    }
  }

  send(data) {
    if (this.ws && this.ws.readyState === 1) this.ws.send(EIO_MESSAGE + data);
  }

  connect() {
    if (this.stopped) return;
    let ws;
    try {
      ws = new this.WebSocketImpl(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.onmessage = (event) => { if (this.ws === ws) this.packet(String(event.data)); };
    ws.onclose = () => { if (this.ws === ws) this.lost(); };
    ws.onerror = () => { /* onclose follows */ };
  }

  packet(text) {
    const type = text.charAt(0);
    const data = text.slice(1);
    if (type === EIO_OPEN) {
      let open = {};
      try { open = JSON.parse(data); } catch { /* defaults */ }
      this.pingDeadline = (Number(open.pingInterval) || 25000) + (Number(open.pingTimeout) || 20000);
      this.attempt = 0;
      this.armDeadTimer();
      this.onOpen(open);
    } else if (type === EIO_PING) {
      this.armDeadTimer();
      this.ws.send(EIO_PONG + data);
    } else if (type === EIO_MESSAGE) {
      this.onMessage(data);
    } else if (type === EIO_CLOSE) {
      this.ws.close();
    }
  }

  armDeadTimer() {
    clearTimeout(this.deadTimer);
    this.deadTimer = setTimeout(() => {
      if (this.ws) this.ws.close();   // no ping in time: the connection is dead
      this.lost();
    }, this.pingDeadline);
  }

  lost() {
    clearTimeout(this.deadTimer);
    this.ws = null;
    this.onClose();
    this.scheduleRetry();
  }

  scheduleRetry() {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
