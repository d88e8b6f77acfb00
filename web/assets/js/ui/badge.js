// Status and priority badges: a word and a shape, with colour only as a third cue.
import { h } from '../core/dom.js';
import { label } from '../core/format.js';

const shapes = {
  pending: '○', claimed: '◐', calling: '◔', answered: '●', transferred: '✓', failed: '✕',
  initiated: '○', ringing: '◔', completed: '✓', busy: '◍', 'no-answer': '–', canceled: '⊘',
  urgent: '▲▲', high: '▲', medium: '■', low: '▽',
  online: '●', offline: '○', available: '✓', unavailable: '–', 'on call': '☎', paused: '❚❚', running: '▶',
  active: '✓', inactive: '⊘',
};

export function badge(word, kind) {
  const key = String(word || '').toLowerCase();
  return h('span', { class: `badge badge-${(kind || key).replace(/\s+/g, '-')}` },
    h('span', { class: 'badge-shape', 'aria-hidden': 'true' }, shapes[key] || '•'), ' ', label(key));
}
