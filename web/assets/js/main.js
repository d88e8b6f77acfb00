// The console's shell: who is signed in decides the menu and the pages (admins: wallboard, leads,
// users, reports, system, do-not-call list; operators: workspace, available leads, my calls, my performance), the
// hash decides the page, and one realtime connection runs while someone is signed in.
import * as session from './core/session.js';
import * as api from './core/api.js';
import * as live from './realtime/live.js';
import { h, replace, setText } from './core/dom.js';
import { matchRoute, navigate } from './core/router.js';
import { roleLabel } from './core/format.js';

const adminRoutes = [
  { path: '/wallboard', title: 'Wallboard', load: () => import('./pages/wallboard.js') },
  { path: '/leads', title: 'Leads', load: () => import('./pages/leads.js') },
  { path: '/leads/:id', title: 'Lead', load: () => import('./pages/lead-detail.js'), hidden: true },
  { path: '/users', title: 'Users', load: () => import('./pages/users.js') },
  { path: '/reports', title: 'Reports', load: () => import('./pages/reports.js') },
  { path: '/system', title: 'System', load: () => import('./pages/system.js') },
  { path: '/dnc', title: 'Do not call', load: () => import('./pages/dnc.js') },
];
const operatorRoutes = [
  { path: '/workspace', title: 'Workspace', load: () => import('./pages/workspace.js') },
  { path: '/available', title: 'Available leads', load: () => import('./pages/available-leads.js') },
  { path: '/my-calls', title: 'My calls', load: () => import('./pages/my-calls.js') },
  { path: '/performance', title: 'My performance', load: () => import('./pages/my-performance.js') },
];
const loginRoute = { path: '/login', title: 'Sign in', load: () => import('./pages/login.js') };

const main = document.getElementById('main');
let cleanup = null;
let renderToken = 0;

function routesFor(user) {
  if (!user) return [loginRoute];
  return user.role === 'admin' ? adminRoutes : operatorRoutes;
}

function renderChrome(user) {
  const bar = document.getElementById('topbar');
  bar.hidden = !user;
  if (!user) return;
  const nav = document.getElementById('nav');
  const current = location.hash.replace(/^#/, '');
  replace(nav, routesFor(user).filter((r) => !r.hidden).map((r) =>
    h('a', { href: '#' + r.path, 'aria-current': current.startsWith(r.path) ? 'page' : null }, r.title)));
  setText(document.getElementById('whoami'), `${user.name} · ${roleLabel(user.role)}`);
}

async function render() {
  const user = session.user();
  const routes = routesFor(user);
  const found = matchRoute(routes, location.hash);
  if (!found) {
    navigate(routes[0].path);
    return;
  }
  renderChrome(user);
  const mine = ++renderToken;
  if (cleanup) { try { cleanup(); } catch { /* page already gone */ } cleanup = null; }
  let page;
  try {
    page = await found.route.load();
  } catch {
    replace(main, h('p', { class: 'form-error', role: 'alert' }, 'This page could not be loaded. Reload to try again.'));
    return;
  }
  if (mine !== renderToken) return;
  document.title = `${found.route.title} · Ibrat Console`;
  const root = h('div', { class: 'page' });
  replace(main, root);
  cleanup = page.mount(root, found.params) || null;
  // Keyboard and screen-reader users land at the start of the new page (login focuses its field).
  if (found.route !== loginRoute && !main.contains(document.activeElement)) main.focus({ preventScroll: true });
}

/** A realtime refusal: confirm through REST (a 401 there ends the session). */
async function authProblem() {
  try { await api.get('/api/auth/me'); } catch { /* 401 handled by api.js */ }
}

function startLive() {
  const tok = session.token();
  if (tok) live.start(tok, authProblem); else live.stop();
}

const connLabels = { live: 'Live', connecting: 'Connecting…', offline: 'Offline' };
live.onStatus((status) => {
  const el = document.getElementById('conn');
  el.className = `conn conn-${status}`;
  setText(el, connLabels[status]);
  el.title = status === 'live' ? 'Receiving live updates' : 'Live updates interrupted; reconnecting';
});

api.onRateLimit((until) => {
  import('./ui/toast.js').then(({ toast }) => toast(`The server's request limit is reached; figures refresh again at ${new Date(until).toLocaleTimeString('en-GB')}.`, 'error'));
});

document.getElementById('logout').addEventListener('click', async () => {
  try { await api.post('/api/auth/logout'); } catch { /* the token is dropped anyway */ }
  session.signOut('You have signed out.');
});

let lastUserId = session.user()?.id ?? null;
session.onChange((state) => {
  const id = state?.user?.id ?? null;
  if (id !== lastUserId) {
    lastUserId = id;
    startLive();
    navigate(state ? routesFor(state.user)[0].path : '/login');
    render();
  } else if (state) {
    renderChrome(state.user);
  }
});

window.addEventListener('hashchange', render);
startLive();
render();
