// The wallboard's pacing cards (issue 14): the pacing mode in effect, the abandon-rate cap, the
// abandon rate today and over 30 days (⚠ when over the cap), the dial level, and the operators
// by state (available, on call, wrap-up, break). Figures from the queue status the wallboard
// already reloads after events; text written only when it changed.
import { tileGroup } from '../ui/tiles.js';
import { pacingFigures, OPERATOR_STATES } from '../core/pacing-figures.js';

export function pacingCards() {
  const pacing = tileGroup('Pacing', [['mode', 'Mode', '⇶'], ['cap', 'Abandon cap', '⊤'], ['today', 'Abandoned today', '⇥'],
    ['days30', 'Abandoned 30 days', '⇥'], ['level', 'Lines per operator', '☎']], 'pacing');
  const states = tileGroup('Operators by state', OPERATOR_STATES.map(([key, text, shape]) => [key, text, shape]), 'states');
  function render(callQueue) {
    if (!callQueue) return;
    const f = pacingFigures(callQueue);
    pacing.set('mode', f.effectiveText);
    pacing.set('cap', f.capText);
    pacing.set('today', f.todayText);
    pacing.set('days30', f.overCap ? `⚠ ${f.days30Text}` : f.days30Text);
    pacing.set('level', f.dialLevelText);
    for (const s of f.states) states.set(s.key, s.count);
  }
  return { sections: [pacing.section, states.section], render };
}
