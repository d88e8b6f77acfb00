// Pacing (issue 14) in words and numbers, pure: the queue status's `pacing` and `operatorStates`
// (GET /api/admin/system-status → callQueue) → what the wallboard and the system page show. The
// dial level is the lines in use per staffed operator (available, on a call or in wrap-up), the
// figure predictive dialers call "dial level" (progressive pacing keeps it at or under 1).

export const PACING_MODES = [['progressive', 'Progressive'], ['predictive', 'Predictive']];
export const DEFAULT_MAX_ABANDON_RATE = 0.03;
/** The queue-daemon's accepted cap (fraction). */
export const MAX_ABANDON_RATE_LIMIT = 0.5;

const REASONS = {
  progressive: 'progressive mode',
  predictive: 'predicting',
  small_team: 'too few operators: progressive',
  warming_up: 'measuring answer rates: progressive',
  abandon_cap_reached: 'abandon cap reached: progressive',
};

/** Operator states in the order shown, with their words and a shape (never colour alone). */
export const OPERATOR_STATES = [
  ['available', 'Available', '✓'], ['on_call', 'On call', '☎'], ['wrap_up', 'Wrap-up', '✎'], ['unavailable', 'Break', '❚❚'],
];

/** 0.0123 → "1.2%", 0.03 → "3%"; null (no answered call yet) → "—". */
export function rateText(rate) {
  if (rate === null || rate === undefined || !Number.isFinite(Number(rate))) return '—';
  return `${Number((Number(rate) * 100).toFixed(1))}%`;
}

export function modeLabel(mode) {
  return (PACING_MODES.find(([value]) => value === mode) || [null, mode || '—'])[1];
}

export function stateLabel(state) {
  return (OPERATOR_STATES.find(([value]) => value === state) || [null, state ? String(state) : '—'])[1];
}

export function stateShape(state) {
  return (OPERATOR_STATES.find(([value]) => value === state) || [null, null, '•'])[2];
}

/** Lines in use per staffed operator, one decimal; null without a staffed operator. */
export function dialLevel(activeCalls, states) {
  const s = states || {};
  const staffed = (Number(s.available) || 0) + (Number(s.on_call) || 0) + (Number(s.wrap_up) || 0);
  if (!staffed) return null;
  return Math.round(((Number(activeCalls) || 0) / staffed) * 10) / 10;
}

/** callQueue → the figures as text. */
export function pacingFigures(callQueue) {
  const q = callQueue || {};
  const p = q.pacing || {};
  const states = q.operatorStates || {};
  const level = dialLevel(q.activeCalls, states);
  const mode = p.mode || 'progressive';
  const effective = p.effectiveMode || mode;
  return {
    mode,
    modeText: modeLabel(mode),
    effectiveText: effective === mode ? modeLabel(effective) : `${modeLabel(effective)} (set: ${modeLabel(mode)})`,
    reasonText: REASONS[p.reason] || (p.reason ? String(p.reason) : '—'),
    maxAbandonRate: p.maxAbandonRate ?? DEFAULT_MAX_ABANDON_RATE,
    capText: rateText(p.maxAbandonRate ?? DEFAULT_MAX_ABANDON_RATE),
    todayText: `${rateText(p.abandonRateToday)} (${Number(p.abandonedToday) || 0} of ${Number(p.answeredToday) || 0})`,
    days30Text: `${rateText(p.abandonRate30Days)} (${Number(p.abandoned30Days) || 0} of ${Number(p.answered30Days) || 0})`,
    overCap: [p.abandonRateToday, p.abandonRate30Days].some((r) => Number.isFinite(r) && r > (p.maxAbandonRate ?? DEFAULT_MAX_ABANDON_RATE)),
    dialLevel: level,
    dialLevelText: level === null ? '—' : `${level.toFixed(1)}${p.maxLinesPerOperator ? ` (max ${p.maxLinesPerOperator})` : ''}`,
    states: OPERATOR_STATES.map(([key, text, shape]) => ({ key, text, shape, count: Number(states[key]) || 0 })),
  };
}
