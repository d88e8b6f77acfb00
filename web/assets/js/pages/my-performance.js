// My performance: the operator's figures for a period, their rank, calls per day (SVG) and
// results by lead priority.
import { h, replace, field } from '../core/dom.js';
import * as api from '../core/api.js';
import { groupedBars } from '../ui/chart.js';
import { duration, num, isoDay, label } from '../core/format.js';

export const DEFAULT_DAYS = 7;
const DAY_MS = 86400000;

export function mount(root) {
  const to = new Date();
  const start = h('input', { type: 'date', value: isoDay(new Date(to.getTime() - (DEFAULT_DAYS - 1) * DAY_MS)), required: true });
  const end = h('input', { type: 'date', value: isoDay(to), required: true });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const figures = h('dl', { class: 'tiles' });
  const chart = h('div');
  const byPriority = h('tbody');
  const form = h('form', { class: 'filters', 'aria-label': 'Period' }, field('From', start), field('To', end),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Show'));
  root.append(h('div', { class: 'page-head' }, h('h1', {}, 'My performance')), h('section', { class: 'card' }, form), error,
    h('section', { class: 'card' }, h('h2', {}, 'Figures'), figures),
    h('div', { class: 'grid grid-2' },
      h('section', { class: 'card' }, h('h2', {}, 'Calls per day'), chart),
      h('section', { class: 'card' }, h('h2', {}, 'By lead priority'), h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'aria-label': 'By lead priority' },
        h('thead', {}, h('tr', {}, ['Priority', 'Calls', 'Answered', 'Completed'].map((t) => h('th', { scope: 'col' }, t)))), byPriority)))));

  async function load() {
    try {
      const [perf, dash] = await Promise.all([
        api.get('/api/operator/profile/performance', { startDate: start.value, endDate: end.value }),
        api.get('/api/operator/dashboard')]);
      error.hidden = true;
      const p = perf.performance || {};
      const rank = dash.dashboard?.operatorRank;
      replace(figures, [['Calls', num(p.totalCalls)], ['Answered', num(p.answeredCalls)], ['Completed', num(p.completedCalls)],
        ['Talk time', duration(p.totalDuration)], ['Average call', duration(p.averageDuration)],
        ['Rank', typeof rank === 'number' ? `#${rank}` : (rank || '—')]]
        .map(([k, v]) => h('div', { class: 'tile' }, h('dt', {}, k), h('dd', { class: 'tile-value' }, v))));
      const byDay = new Map((perf.dailyPerformance || []).map((d) => [`${d._id.year}-${String(d._id.month).padStart(2, '0')}-${String(d._id.day).padStart(2, '0')}`, d]));
      const range = [];
      for (let t = Date.parse(start.value + 'T00:00:00Z'); t <= Date.parse(end.value + 'T00:00:00Z') && range.length < 366; t += DAY_MS) range.push(new Date(t));
      replace(chart, groupedBars({ title: 'My calls per day', labels: range.map((d) => d.toLocaleDateString('en-GB', { day: '2-digit', month: 'short', timeZone: 'UTC' })),
        series: [{ name: 'Calls', cls: 'bar', values: range.map((d) => byDay.get(isoDay(d))?.calls || 0) },
          { name: 'Answered', cls: 'bar-2', values: range.map((d) => byDay.get(isoDay(d))?.answered || 0) }] }));
      const rows = perf.leadConversion || [];
      replace(byPriority, rows.length ? rows.map((r) => h('tr', {}, h('td', {}, label(r._id)), h('td', { class: 'num' }, num(r.totalCalls)),
        h('td', { class: 'num' }, num(r.answeredCalls)), h('td', { class: 'num' }, num(r.completedCalls))))
        : h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'No calls in this period.')));
    } catch (err) {
      error.textContent = `Figures could not be loaded: ${err.text}`;
      error.hidden = false;
    }
  }
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  load();
}
