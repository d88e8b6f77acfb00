// The wallboard's operators table: presence (online/offline), availability, state (available,
// on call, wrap-up, break — issue 14) and the current call, each as a word and a shape. Rows are
// built once per operator list (sorted by name only when the list changes) and later renders
// rewrite only the texts of rows whose state changed: hundreds of operators change several times
// a second under load, and the table has a fixed layout so a change never re-measures the columns.
import { h, replace, setText } from '../core/dom.js';
import { badge, setBadge } from '../ui/badge.js';
import { stateLabel, stateShape } from '../core/pacing-figures.js';
import { operatorsOnCall } from './wallboard-model.js';

export const OPERATOR_COLUMNS = ['Operator', 'Presence', 'Availability', 'State', 'Current call'];

export function operatorsTable(model) {
  const body = h('tbody');
  const table = h('table', { class: 'table table-fixed', 'aria-label': 'Operators' },
    h('colgroup', {}, ['col-w2', 'col-w5', 'col-w4', 'col-w4', 'col-w1'].map((c) => h('col', { class: c }))),
    h('thead', {}, h('tr', {}, OPERATOR_COLUMNS.map((t) => h('th', { scope: 'col' }, t)))), body);
  const rows = new Map();   // id → {presence, availability, state, call, callText, key}
  let listVersion = -1;
  let sorted = [];

  function build() {
    sorted = [...model.operators.values()].sort((a, b) => a.name.localeCompare(b.name));
    rows.clear();
    replace(body, sorted.length ? sorted.map((op) => {
      const cells = { presence: badge(''), availability: badge(''), state: badge(''), call: badge(''), callText: h('span'), key: '' };
      rows.set(op.id, cells);
      return h('tr', { dataset: { userId: op.id } },
        h('td', { class: 'wrap' }, op.name, op.isActive ? null : h('span', { class: 'muted' }, ' (deactivated)')),
        h('td', {}, cells.presence), h('td', {}, cells.availability), h('td', { 'data-field': 'state' }, cells.state),
        h('td', {}, cells.call, cells.callText));
    }) : h('tr', {}, h('td', { colspan: OPERATOR_COLUMNS.length, class: 'empty' }, 'No operators yet')));
  }

  /** Rewrites what changed since the last call. */
  function render() {
    if (listVersion !== model.operatorsVersion) { listVersion = model.operatorsVersion; build(); }
    const onCall = operatorsOnCall(model);
    for (const op of sorted) {
      const cells = rows.get(op.id);
      const call = onCall.get(op.id);
      const key = `${op.online}|${op.isAvailable}|${op.state}|${call ? call.callId + call.phone : ''}`;
      if (cells.key === key) continue;
      cells.key = key;
      if (op.online === null) setBadge(cells.presence, 'unknown', { text: 'Unknown', shape: '?' });
      else setBadge(cells.presence, op.online ? 'online' : 'offline');
      setBadge(cells.availability, op.isAvailable ? 'available' : 'unavailable');
      if (op.state) setBadge(cells.state, op.state, { kind: `state-${op.state}`, text: stateLabel(op.state), shape: stateShape(op.state) });
      else setBadge(cells.state, 'unknown', { text: 'Unknown', shape: '?' });
      setBadge(cells.call, call ? 'on call' : 'idle', { text: call ? 'On call' : 'Idle', shape: call ? '☎' : '–' });
      setText(cells.callText, call ? ` ${call.phone}` : '');
    }
  }
  return { table, render };
}
