// Short messages in a polite live region (screen readers hear them), gone after a few seconds.
import { h } from '../core/dom.js';

export const TOAST_MS = 5000;

export function toast(text, kind = 'info') {
  const box = document.getElementById('toasts');
  if (!box) return;
  const icon = kind === 'error' ? '⚠' : kind === 'success' ? '✓' : 'ℹ';
  const item = h('div', { class: `toast toast-${kind}` }, h('span', { 'aria-hidden': 'true' }, icon + ' '), text);
  box.appendChild(item);
  setTimeout(() => item.remove(), kind === 'error' ? TOAST_MS * 2 : TOAST_MS);
}
