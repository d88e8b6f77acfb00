// Pagination controls for the API's `pagination: {page, limit, total, pages}`.
import { h } from '../core/dom.js';
import { num } from '../core/format.js';

export function pager(pagination, go) {
  const page = pagination?.page || 1;
  const pages = Math.max(1, pagination?.pages || 1);
  const total = pagination?.total || 0;
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('button', { type: 'button', class: 'btn', disabled: page <= 1, onclick: () => go(page - 1) }, '‹ Previous'),
    h('span', { class: 'pager-text' }, `Page ${num(page)} of ${num(pages)} · ${num(total)} total`),
    h('button', { type: 'button', class: 'btn', disabled: page >= pages, onclick: () => go(page + 1) }, 'Next ›'));
}
