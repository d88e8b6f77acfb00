// Users and operators: list with role/state filters and search, each operator's state (issue 14),
// register a user, edit, activate/deactivate and set availability (each change confirmed where it takes someone off
// the phones). Availability follows the realtime events.
import { h, replace, field, select } from '../core/dom.js';
import * as api from '../core/api.js';
import * as live from '../realtime/live.js';
import { badge, setBadge } from '../ui/badge.js';
import { stateLabel, stateShape } from '../core/pacing-figures.js';
import { pager } from '../ui/pager.js';
import { toast } from '../ui/toast.js';
import { confirmDialog, formDialog } from '../ui/dialog.js';
import { Refresher } from '../core/refresher.js';
import { dateTime, num, roleLabel } from '../core/format.js';

export const PAGE_SIZE = 20;
export const PASSWORD_MIN = 8;
/** The operator role as sent; the API also accepts `operator`, and may answer either. */
export const OPERATOR_ROLE = 'salesperson';

function userForm(user) {
  const inputs = {
    name: h('input', { type: 'text', required: true, minlength: 2, maxlength: 100, value: user?.name || '' }),
    email: h('input', { type: 'email', required: true, value: user?.email || '', autocomplete: 'off' }),
    phone: h('input', { type: 'tel', required: !user, value: user?.phone || '', autocomplete: 'off' }),
    role: select([[OPERATOR_ROLE, 'Operator'], ['admin', 'Admin']], user?.role === 'admin' ? 'admin' : OPERATOR_ROLE),
    password: user ? null : h('input', { type: 'password', required: true, minlength: PASSWORD_MIN, autocomplete: 'new-password' }),
  };
  return formDialog({
    title: user ? `Edit ${user.name}` : 'New user',
    submitLabel: user ? 'Save changes' : 'Create user',
    build: () => [h('div', { class: 'grid grid-2' }, field('Name', inputs.name), field('Email', inputs.email)),
      h('div', { class: 'grid grid-2' }, field('Phone', inputs.phone), field('Role', inputs.role)),
      inputs.password ? field('Password', inputs.password, `At least ${PASSWORD_MIN} characters`) : null],
    submit: async () => {
      const body = { name: inputs.name.value.trim(), email: inputs.email.value.trim(), phone: inputs.phone.value.trim(), role: inputs.role.value };
      if (user) {
        const changed = {};
        for (const key of ['name', 'email', 'phone']) if (body[key] !== (user[key] || '')) changed[key] = body[key];
        if ((user.role === 'admin') !== (body.role === 'admin')) changed.role = body.role;
        if (!Object.keys(changed).length) return user;
        return (await api.put(`/api/users/${encodeURIComponent(user.id)}`, changed)).user;
      }
      body.password = inputs.password.value;
      return (await api.post('/api/auth/register', body)).user;
    },
  });
}

/** An operator's state (issue 14: available, on call, wrap-up, break) as a word and a shape. */
function stateBadge(state) {
  return setBadge(badge(''), state, { kind: `state-${state}`, text: stateLabel(state), shape: stateShape(state) });
}

export function mount(root) {
  const state = { page: 1, role: '', isActive: '', search: '' };
  const role = select([['', 'All roles'], [OPERATOR_ROLE, 'Operators'], ['admin', 'Admins']], '');
  const active = select([['', 'Active and inactive'], ['true', 'Active'], ['false', 'Inactive']], '');
  const search = h('input', { type: 'search', placeholder: 'Name, email or phone' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const body = h('tbody');
  const pages = h('div');
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter users' },
    field('Role', role), field('State', active), field('Search', search), h('button', { type: 'submit', class: 'btn btn-primary' }, 'Search'));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    Object.assign(state, { page: 1, role: role.value, isActive: active.value, search: search.value.trim() });
    refresher.poke();
  });
  const create = h('button', { type: 'button', class: 'btn btn-primary', onclick: async () => {
    if (await userForm(null)) { toast('User created', 'success'); refresher.poke(); }
  } }, '+ New user');
  root.append(h('div', { class: 'page-head' }, h('h1', {}, 'Users'), h('div', { class: 'actions' }, create)),
    h('section', { class: 'card' }, filters), error,
    h('section', { class: 'card' }, h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'aria-label': 'Users' },
      h('thead', {}, h('tr', {}, ['Name', 'Email', 'Phone', 'Role', 'State', 'Availability', 'Operator state', 'Calls', 'Last login', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
      body)), pages));

  async function setActive(user) {
    const on = !user.isActive;
    if (!on && !await confirmDialog({ title: `Deactivate ${user.name}?`, message: 'They are signed out, cannot sign in and receive no calls until activated again.', confirmLabel: 'Deactivate', danger: true })) return;
    try {
      const answer = await api.put(`/api/users/${encodeURIComponent(user.id)}/activate`, { isActive: on });
      toast(answer.message, 'success');
    } catch (err) { toast(err.text, 'error'); }
    refresher.poke();
  }

  async function setAvailable(user) {
    try {
      await api.put(`/api/users/${encodeURIComponent(user.id)}/availability`, { isAvailable: !user.isAvailable });
      toast(`${user.name} is now ${user.isAvailable ? 'unavailable' : 'available'}`, 'success');
    } catch (err) { toast(err.text, 'error'); }
    refresher.poke();
  }

  const refresher = new Refresher(async () => {
    try {
      const answer = await api.get('/api/users', { page: state.page, limit: PAGE_SIZE, role: state.role, isActive: state.isActive, search: state.search });
      error.hidden = true;
      replace(body, answer.users.length ? answer.users.map((u) => {
        return h('tr', { dataset: { userId: u.id } },
          h('td', { class: 'wrap' }, u.name), h('td', { class: 'wrap' }, u.email), h('td', {}, u.phone || '—'),
          h('td', {}, roleLabel(u.role)), h('td', {}, badge(u.isActive ? 'active' : 'inactive')),
          h('td', {}, badge(u.isAvailable ? 'available' : 'unavailable')),
          h('td', { 'data-field': 'operator-state' }, u.operatorState ? stateBadge(u.operatorState) : h('span', { class: 'muted' }, '—')),
          h('td', { class: 'num' }, num(u.callStats?.totalCalls)), h('td', {}, dateTime(u.lastLogin)),
          h('td', {}, h('div', { class: 'row row-tight' },
            h('button', { type: 'button', class: 'btn btn-small', onclick: async () => { if (await userForm(u)) { toast('User saved', 'success'); refresher.poke(); } } }, 'Edit'),
            h('button', { type: 'button', class: 'btn btn-small', onclick: () => setAvailable(u) }, u.isAvailable ? 'Set unavailable' : 'Set available'),
            h('button', { type: 'button', class: u.isActive ? 'btn btn-small btn-danger-outline' : 'btn btn-small', onclick: () => setActive(u) }, u.isActive ? 'Deactivate' : 'Activate'))));
      }) : h('tr', {}, h('td', { colspan: 10, class: 'empty' }, 'No users match.')));
      replace(pages, pager(answer.pagination, (p) => { state.page = p; refresher.poke(); }));
    } catch (err) {
      error.textContent = `Users could not be loaded: ${err.text}`;
      error.hidden = false;
    }
  }, { minGapMs: 1000, settleMs: 2000 });
  const off = [
    live.on('user_availability_changed', () => refresher.poke()),
    live.on('operator_state_changed', () => refresher.poke()),
    live.on('resync', () => refresher.poke()),
  ];
  refresher.poke();
  return () => { off.forEach((fn) => fn()); refresher.stop(); };
}
