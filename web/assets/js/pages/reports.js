// Reports: the performance report for a date range — per-operator table with each operator's
// conversions (exportable as CSV), daily calls (total and answered), lead conversion by status and
// the recorded dispositions (issue 12; `sale` and `interested` count as conversions) as SVG charts.
import { h, replace, field } from '../core/dom.js';
import * as api from '../core/api.js';
import { groupedBars, horizontalBars } from '../ui/chart.js';
import { toCSV, download } from '../core/csv.js';
import { duration, num, pct, isoDay, label, leadStatuses } from '../core/format.js';

export const DEFAULT_DAYS = 7;
const DAY_MS = 86400000;

export function mount(root) {
  const to = new Date();
  const from = new Date(to.getTime() - (DEFAULT_DAYS - 1) * DAY_MS);
  const start = h('input', { type: 'date', value: isoDay(from), required: true });
  const end = h('input', { type: 'date', value: isoDay(to), required: true });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const tableBody = h('tbody');
  const daily = h('div');
  const conversion = h('div');
  const dispositions = h('div', { 'data-section': 'dispositions' });
  const exportButton = h('button', { type: 'button', class: 'btn', disabled: true }, 'Export table as CSV');
  const form = h('form', { class: 'filters', 'aria-label': 'Report period' }, field('From', start), field('To', end),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Show report'));
  root.append(h('div', { class: 'page-head' }, h('h1', {}, 'Reports'), h('div', { class: 'actions' }, exportButton)),
    h('section', { class: 'card' }, form), error,
    h('div', { class: 'grid grid-2' },
      h('section', { class: 'card' }, h('h2', {}, 'Daily calls'), daily),
      h('section', { class: 'card' }, h('h2', {}, 'Lead conversion'), conversion)),
    h('section', { class: 'card' }, h('h2', {}, 'Dispositions'), dispositions),
    h('section', { class: 'card' }, h('h2', {}, 'Per operator'), h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'aria-label': 'Per-operator performance' },
      h('thead', {}, h('tr', {}, ['Operator', 'Email', 'Calls', 'Answered', 'Completed', 'Talk time', 'Average', 'Success rate', 'Conversions'].map((t) => h('th', { scope: 'col' }, t)))),
      tableBody))));

  let rows = [];
  exportButton.addEventListener('click', () => download(`performance-${start.value}-to-${end.value}.csv`,
    toCSV(['operator', 'email', 'totalCalls', 'answeredCalls', 'completedCalls', 'totalDuration', 'averageDuration', 'successRate', 'conversions'],
      rows.map((r) => [r.name, r.email, r.totalCalls, r.answeredCalls, r.completedCalls, r.totalDuration, r.averageDuration, r.successRate, conversionsOf(r)]))));
  let conversionsBy = new Map();
  const conversionsOf = (r) => conversionsBy.get(r.id || r._id) || 0;

  function days(startText, endText) {
    const out = [];
    for (let t = Date.parse(startText + 'T00:00:00Z'); t <= Date.parse(endText + 'T00:00:00Z') && out.length < 366; t += DAY_MS) out.push(new Date(t));
    return out;
  }

  async function load() {
    if (start.value > end.value) {
      error.textContent = 'The start date must not be after the end date.';
      error.hidden = false;
      return;
    }
    try {
      const perf = (await api.get('/api/admin/reports/performance', { startDate: start.value, endDate: end.value })).performance || {};
      error.hidden = true;
      rows = perf.salespersonStats || [];
      const disp = perf.dispositions || {};
      conversionsBy = new Map((disp.byOperator || []).map((o) => [o.operatorId, o.conversions || 0]));
      exportButton.disabled = !rows.length;
      replace(tableBody, rows.length ? rows.map((r) => h('tr', {}, h('td', { class: 'wrap' }, r.name), h('td', { class: 'wrap' }, r.email || '—'),
        h('td', { class: 'num' }, num(r.totalCalls)), h('td', { class: 'num' }, num(r.answeredCalls)), h('td', { class: 'num' }, num(r.completedCalls)),
        h('td', { class: 'num' }, duration(r.totalDuration)), h('td', { class: 'num' }, duration(r.averageDuration)), h('td', { class: 'num' }, pct(r.successRate)),
        h('td', { class: 'num', 'data-field': 'conversions' }, num(conversionsOf(r)))))
        : h('tr', {}, h('td', { colspan: 9, class: 'empty' }, 'No calls in this period.')));
      const byDay = new Map((perf.dailyCalls || []).map((d) => [`${d._id.year}-${String(d._id.month).padStart(2, '0')}-${String(d._id.day).padStart(2, '0')}`, d]));
      const range = days(start.value, end.value);
      const labels = range.map((d) => d.toLocaleDateString('en-GB', { day: '2-digit', month: 'short', timeZone: 'UTC' }));
      replace(daily, groupedBars({ title: 'Daily calls', labels, series: [
        { name: 'Calls', cls: 'bar', values: range.map((d) => byDay.get(isoDay(d))?.totalCalls || 0) },
        { name: 'Answered', cls: 'bar-2', values: range.map((d) => byDay.get(isoDay(d))?.answeredCalls || 0) }] }));
      const counts = new Map((perf.leadConversion || []).map((c) => [c._id, c.count]));
      replace(conversion, horizontalBars({ title: 'Leads by status', rows: leadStatuses.map((s) => [label(s), counts.get(s) || 0]) }));
      showDispositions(disp);
    } catch (err) {
      error.textContent = `The report could not be loaded: ${err.text}`;
      error.hidden = false;
    }
  }
  /** Every configured disposition (zeros too), then any other recorded name, as bars and a table. */
  async function showDispositions(disp) {
    const total = disp.total || {};
    if (!names) {
      try { names = (await api.get('/api/dispositions')).dispositions || []; } catch { names = []; }
    }
    const all = [...names, ...Object.keys(total).filter((n) => !names.includes(n))];
    const counted = all.map((n) => [n, Number(total[n]) || 0]);
    replace(dispositions,
      h('p', {}, 'Conversions: ', h('strong', { 'data-stat': 'dispositions.conversions' }, num(disp.conversions)), ' (sale and interested)'),
      counted.some(([, n]) => n) ? horizontalBars({ title: 'Dispositions recorded', rows: counted.map(([n, c]) => [label(n), c]) })
        : h('p', { class: 'muted' }, 'No disposition recorded in this period.'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'aria-label': 'Disposition counts' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Disposition'), h('th', { scope: 'col', class: 'num' }, 'Calls'))),
        h('tbody', {}, counted.map(([n, c]) => h('tr', { dataset: { disposition: n } }, h('td', {}, label(n)), h('td', { class: 'num' }, num(c))))))));
  }
  let names = null;
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  load();
}
