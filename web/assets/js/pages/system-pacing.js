// The system page's pacing card (issue 14): the mode set and the one in effect (with why), the
// abandon-rate cap, the abandon rate today and over 30 days, the dial level and the operators by
// state; a form sets the mode and the cap (`set_pacing {mode, maxAbandonRate}`) after a
// confirmation. `show(callQueue)` refreshes the figures; the form keeps what the admin is typing.
import { h, replace, field, select } from '../core/dom.js';
import { confirmDialog } from '../ui/dialog.js';
import { pacingFigures, PACING_MODES, MAX_ABANDON_RATE_LIMIT } from '../core/pacing-figures.js';

export function pacingPanel(control, showError) {
  const facts = h('dl', { class: 'kv', 'data-section': 'pacing' });
  const mode = select(PACING_MODES, 'progressive', { name: 'pacingMode' });
  const cap = h('input', { type: 'number', name: 'maxAbandonRate', min: 0, max: MAX_ABANDON_RATE_LIMIT * 100, step: 0.1, required: true });
  const form = h('form', { class: 'filters', 'aria-label': 'Pacing' },
    field('Pacing mode', mode), field('Abandon-rate cap (%)', cap, 'Abandoned ÷ answered by a person, over 30 days; the US safe harbour is 3%'),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Set pacing'));
  const section = h('section', { class: 'card', 'aria-labelledby': 'pacing-title' }, h('h2', { id: 'pacing-title' }, 'Pacing'), facts, h('hr', { class: 'sep' }), form);
  let touched = false;
  mode.addEventListener('change', () => { touched = true; });
  cap.addEventListener('input', () => { touched = true; });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const percent = Number(cap.value);
    if (cap.value === '' || !Number.isFinite(percent) || percent < 0 || percent > MAX_ABANDON_RATE_LIMIT * 100) {
      showError(`The abandon-rate cap must be a percentage from 0 to ${MAX_ABANDON_RATE_LIMIT * 100}.`);
      return;
    }
    const modeText = PACING_MODES.find(([v]) => v === mode.value)[1];
    const message = mode.value === 'predictive'
      ? `Predictive pacing dials more lines than free operators and keeps abandoned calls under ${percent}% over 30 days.`
      : 'Progressive pacing dials one line per free operator.';
    if (!await confirmDialog({ title: `Set ${modeText.toLowerCase()} pacing?`, message, confirmLabel: 'Set pacing' })) return;
    touched = false;
    control({ action: 'set_pacing', mode: mode.value, maxAbandonRate: Math.round(percent * 10) / 1000 });
  });

  function show(callQueue) {
    const f = pacingFigures(callQueue);
    if (!touched && !form.contains(document.activeElement)) {
      mode.value = f.mode;
      cap.value = String(Math.round(f.maxAbandonRate * 1000) / 10);
    }
    replace(facts,
      h('dt', {}, 'Mode in effect'), h('dd', { 'data-field': 'pacing-mode' }, f.effectiveText),
      h('dt', {}, 'Why'), h('dd', {}, f.reasonText),
      h('dt', {}, 'Abandon-rate cap'), h('dd', { 'data-field': 'pacing-cap' }, f.capText),
      h('dt', {}, 'Abandoned today'), h('dd', { 'data-field': 'abandon-today' }, f.todayText),
      h('dt', {}, 'Abandoned, 30 days'), h('dd', { 'data-field': 'abandon-30' }, f.days30Text, f.overCap ? ' ⚠ over the cap' : ''),
      h('dt', {}, 'Dial level (lines per operator)'), h('dd', { 'data-field': 'dial-level' }, f.dialLevelText),
      h('dt', {}, 'Operators'), h('dd', { 'data-field': 'operator-states' }, f.states.map((s) => `${s.shape} ${s.text} ${s.count}`).join(' · ')));
  }
  return { section, show };
}
