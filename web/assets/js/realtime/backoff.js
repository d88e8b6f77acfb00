// Reconnect delays: exponential from `base` to `max` with ±`jitter` so that many consoles
// reconnecting after a gateway restart do not all arrive in the same millisecond. Pure.
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 10000;
export const BACKOFF_JITTER = 0.25;

export function backoffDelay(attempt, random = Math.random) {
  const raw = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 20));
  const spread = raw * BACKOFF_JITTER;
  return Math.round(raw - spread + random() * 2 * spread);
}
