// Coalesces "something changed, reload" signals from events into few requests: the first signal
// loads at once, signals during a load or within `minGapMs` after it cause exactly one more load,
// so a burst of 200 events a second costs at most one request per gap and the last state is
// always loaded after the burst. `safetyMs` reloads anyway after a quiet spell (a missed event
// cannot leave the view stale for long); it is a slow safety net, not a poll. While the server's
// rate limit refuses requests (429), loads wait until it allows them again, and under a rate
// limit the gap widens so that reloads spread what is left of the window (api.budgetGapMs). With `settleMs`, a
// load caused by events is followed by one more after that quiet time: the API may answer an
// expensive count from its stale-while-revalidate cache right after a change (LeadRefreshingCache),
// and no further event would come to correct it.
import * as api from './api.js';

export class Refresher {
  constructor(load, { minGapMs = 400, safetyMs = 60000, settleMs = 0 } = {}) {
    this.settleMs = settleMs;
    this.settleTimer = null;
    this.load = load;
    this.minGapMs = minGapMs;
    this.safetyMs = safetyMs;
    this.running = false;
    this.again = false;
    this.lastStart = 0;
    this.timer = null;
    this.safety = null;
    this.stopped = false;
  }

  /** Something changed. */
  poke() {
    if (this.stopped) return;
    if (this.running || this.timer) { this.again = true; return; }
    const gap = Math.max(this.minGapMs, api.budgetGapMs());
    const wait = Math.max(this.lastStart + gap, api.rateLimitedUntil) - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => { this.timer = null; this.run(); }, wait);
    } else {
      this.run();
    }
  }

  async run(settling = false) {
    if (this.stopped) return;
    clearTimeout(this.settleTimer);
    this.running = true;
    this.again = false;
    this.lastStart = Date.now();
    clearTimeout(this.safety);
    try { await this.load(); } catch { /* the load shows its own error */ }
    this.running = false;
    if (this.stopped) return;
    this.safety = setTimeout(() => this.poke(), this.safetyMs);
    if (this.again) { this.again = false; this.poke(); return; }
    if (this.settleMs && !settling) {
      this.settleTimer = setTimeout(() => { if (!this.running && !this.timer) this.run(true); }, this.settleMs);
    }
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.safety);
    clearTimeout(this.settleTimer);
  }
}
