// The signed-in user and their token.
//
// Where the token lives, and why: in memory for every request, and in sessionStorage so that a
// reload of the tab keeps the user signed in. sessionStorage is per tab and is emptied when the
// tab closes, so a token is never left behind on a shared call-centre workstation the way
// localStorage would leave it, and a second tab signs in on its own. A cookie would be sent by the
// browser on its own and need CSRF defences the Bearer-token API does not have. The console has no
// inline script and a strict Content-Security-Policy, and renders every API value as text, which
// is what keeps a script from reading the token. The token is dropped on sign-out and on any 401.

const KEY = 'ibrat.session';
let current = null;
const listeners = new Set();

function load() {
  try {
    const raw = sessionStorage.getItem(KEY);
    const parsed = raw ? JSON.parse(raw) : null;
    if (parsed && typeof parsed.token === 'string' && parsed.user && typeof parsed.user === 'object') return parsed;
  } catch { /* storage unavailable or corrupt: start signed out */ }
  return null;
}

current = load();

export function token() { return current ? current.token : null; }
export function user() { return current ? current.user : null; }

/** admin, or an operator (the wire says `salesperson`; `operator` was its first name). */
export function isAdmin() { return !!current && current.user.role === 'admin'; }
export function isOperatorRole(role) { return role === 'salesperson' || role === 'operator'; }

export function signIn(tokenValue, userValue) {
  current = { token: tokenValue, user: userValue };
  try { sessionStorage.setItem(KEY, JSON.stringify(current)); } catch { /* memory only */ }
  for (const fn of listeners) fn(current);
}

export function updateUser(changes) {
  if (!current) return;
  current = { token: current.token, user: { ...current.user, ...changes } };
  try { sessionStorage.setItem(KEY, JSON.stringify(current)); } catch { /* memory only */ }
  for (const fn of listeners) fn(current);
}

/** Forgets the token (sign-out, 401). `reason` is shown on the login page. */
export function signOut(reason) {
  const had = current !== null;
  current = null;
  try { sessionStorage.removeItem(KEY); } catch { /* nothing stored */ }
  lastReason = reason || null;
  if (had) for (const fn of listeners) fn(null);
}

let lastReason = null;
/** Why the last session ended (once). */
export function takeSignOutReason() {
  const reason = lastReason;
  lastReason = null;
  return reason;
}

export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
