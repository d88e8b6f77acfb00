// SVG charts drawn here (no library): grouped vertical bars for a series per day, and horizontal
// bars for counts by category. Each bar has a <title> (tooltip and accessible name), the chart a
// summary label; colours are paired with a legend and values in text.
import { svg, h } from '../core/dom.js';
import { num } from '../core/format.js';

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 34, left: 40 };

function niceMax(value) {
  if (value <= 5) return 5;
  const pow = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / pow) * pow;
}

/** labels: ['07 Dec', …]; series: [{name, values: [n, …], cls: 'bar'|'bar-2'}]. */
export function groupedBars({ labels, series, title }) {
  const width = CHART_WIDTH;
  const height = CHART_HEIGHT;
  const innerW = width - PAD.left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const max = niceMax(Math.max(1, ...series.flatMap((s) => s.values)));
  const group = innerW / Math.max(1, labels.length);
  const barW = Math.max(2, Math.min(28, (group * 0.8) / series.length));
  const nodes = [];
  for (let t = 0; t <= 4; t += 1) {
    const y = PAD.top + innerH - (innerH * t) / 4;
    nodes.push(svg('line', { x1: PAD.left, x2: width - PAD.right, y1: y, y2: y, class: 'axis' }),
      svg('text', { x: PAD.left - 6, y: y + 4, 'text-anchor': 'end' }, num((max * t) / 4)));
  }
  const every = Math.ceil(labels.length / 12);
  labels.forEach((label, i) => {
    const x0 = PAD.left + group * i + (group - barW * series.length) / 2;
    series.forEach((s, j) => {
      const value = s.values[i] || 0;
      const barH = (innerH * value) / max;
      nodes.push(svg('rect', { x: x0 + j * barW, y: PAD.top + innerH - barH, width: barW - 1, height: Math.max(0, barH), class: s.cls },
        svg('title', {}, `${label}: ${num(value)} ${s.name.toLowerCase()}`)));
    });
    if (i % every === 0) nodes.push(svg('text', { x: PAD.left + group * i + group / 2, y: height - PAD.bottom + 16, 'text-anchor': 'middle' }, label));
  });
  const totals = series.map((s) => `${s.name}: ${num(s.values.reduce((a, b) => a + b, 0))}`).join(', ');
  return h('figure', { class: 'figure' },
    svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': `${title}. ${totals}` }, nodes),
    h('figcaption', { class: 'legend' }, series.map((s, j) => h('span', {}, h('span', { class: `legend-swatch sw-${j + 1}`, 'aria-hidden': 'true' }), `${s.name} (${num(s.values.reduce((a, b) => a + b, 0))})`))));
}

/** rows: [[label, value], …] as horizontal bars with the value written beside each. */
export function horizontalBars({ rows, title }) {
  const rowH = 26;
  const labelW = 110;
  const width = CHART_WIDTH;
  const height = rows.length * rowH + 8;
  const max = Math.max(1, ...rows.map((r) => r[1]));
  const total = rows.reduce((a, r) => a + r[1], 0);
  const nodes = [];
  rows.forEach(([label, value], i) => {
    const y = 4 + i * rowH;
    const w = ((width - labelW - 70) * value) / max;
    nodes.push(svg('text', { x: labelW - 8, y: y + 16, 'text-anchor': 'end' }, label),
      svg('rect', { x: labelW, y: y + 3, width: Math.max(0, w), height: rowH - 8, class: 'bar' }, svg('title', {}, `${label}: ${num(value)}`)),
      svg('text', { x: labelW + w + 6, y: y + 16 }, `${num(value)}${total ? ` (${Math.round((value / total) * 100)}%)` : ''}`));
  });
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img',
    'aria-label': `${title}. ${rows.map((r) => `${r[0]} ${num(r[1])}`).join(', ')}` }, nodes);
}
