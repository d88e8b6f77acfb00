// Work coalesced per animation frame: items pushed between two frames (Socket.IO events, hundreds
// a second on a busy wallboard) are handed to `flush(items, now)` together in the next frame, so a
// page applies a burst to its model and writes the DOM once, instead of once per message. `wake()`
// asks for a frame without an item (a throttled render that is due later); `later(ms)` asks for
// one after a pause, without a frame loop spinning meanwhile. Timers are injectable for tests.

export class FrameBatch {
  constructor(flush, { request, cancel, setTimer, clearTimer } = {}) {
    this.flush = flush;
    this.request = request || ((fn) => requestAnimationFrame(fn));
    this.cancel = cancel || ((id) => cancelAnimationFrame(id));
    this.setTimer = setTimer || ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = clearTimer || ((id) => clearTimeout(id));
    this.items = [];
    this.frame = 0;
    this.timer = null;
    this.stopped = false;
  }

  push(item) {
    this.items.push(item);
    this.wake();
  }

  wake() {
    if (this.stopped || this.frame) return;
    if (this.timer) { this.clearTimer(this.timer); this.timer = null; }
    this.frame = this.request((now) => this.run(now));
  }

  /** A frame after `ms` (unless one is due sooner). */
  later(ms) {
    if (this.stopped || this.frame || this.timer) return;
    this.timer = this.setTimer(() => { this.timer = null; this.wake(); }, Math.max(0, ms));
  }

  run(now) {
    this.frame = 0;
    const items = this.items;
    this.items = [];
    this.flush(items, now);
  }

  stop() {
    this.stopped = true;
    if (this.frame) this.cancel(this.frame);
    if (this.timer) this.clearTimer(this.timer);
    this.frame = 0;
    this.timer = null;
    this.items = [];
  }
}
