// Counter tiles: a labelled number per key, updated in place (no re-render, so a wallboard under
// hundreds of events a second only changes the text nodes whose value changed).
import { h, setText } from '../core/dom.js';
import { num } from '../core/format.js';

export function tileGroup(title, items, prefix) {
  const values = new Map();
  const list = h('dl', { class: 'tiles' }, items.map(([key, text, shape]) => {
    const value = h('dd', { class: 'tile-value', 'data-stat': `${prefix}.${key}` }, '–');
    values.set(key, value);
    return h('div', { class: `tile tile-${key}` },
      h('dt', {}, shape ? h('span', { class: 'tile-shape', 'aria-hidden': 'true' }, shape + ' ') : null, text), value);
  }));
  const section = h('section', { class: 'card', 'aria-label': title }, h('h2', {}, title), list);
  return {
    section,
    set(key, value) {
      const el = values.get(key);
      if (el) setText(el, value === undefined || value === null ? '–' : typeof value === 'number' ? num(value) : value);
    },
  };
}
