import { h } from '../core/dom.js';
export function mount(root) { root.append(h('h1', {}, 'Coming soon')); }
