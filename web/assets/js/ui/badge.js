// Status and priority badges: a word and a shape, with colour only as a third cue.
import { h } from '../core/dom.js';
import { label } from '../core/format.js';

const shapes = {
  pending: '○', claimed: '◐', calling: '◔', answered: '●', transferred: '✓', failed: '✕',
  initiated: '○', ringing: '◔', completed: '✓', busy: '◍', 'no-answer': '–', canceled: '⊘',
  urgent: '▲▲', high: '▲', medium: '■', low: '▽',
  online: '●', offline: '○', available: '✓', unavailable: '–', 'on call': '☎', paused: '❚❚', running: '▶',
  active: '✓', inactive: '⊘', on_call: '☎', wrap_up: '✎', abandoned: '⇥', machine: '⌧',
};

export function badge(word, kind) {
  const key = String(word || '').toLowerCase();
  return h('span', { class: `badge badge-${(kind || key).replace(/\s+/g, '-')}` },
    h('span', { class: 'badge-shape', 'aria-hidden': 'true' }, shapes[key] || '•'), ' ', label(key));
}

/**
 * Rewrites a badge made by `badge()` (any word, even '') in place when its word changed (no new
 * nodes: live tables under load change a class and two texts). `text` overrides the word shown, `shape` the shape.
 */
export function setBadge(el, word, { kind, text, shape } = {}) {
  const key = String(word || '').toLowerCase();
  const className = `badge badge-${(kind || key).replace(/[\s_]+/g, '-')}`;
  if (el.className !== className) el.className = className;
  const [shapeEl, , wordEl] = el.childNodes;   // as badge() builds it: shape, ' ', word
  const shapeText = shape || shapes[key] || '•';
  const wordText = text || label(key);
  if (shapeEl.textContent !== shapeText) shapeEl.textContent = shapeText;
  if (wordEl.textContent !== wordText) wordEl.textContent = wordText;
  return el;
}
