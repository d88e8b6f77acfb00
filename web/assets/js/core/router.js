// Hash routes (`#/leads/42`): the server serves one page, the console switches views without
// reloading. Patterns like '/leads/:id'. Pure matching plus a listener on `hashchange`.

export function matchRoute(routes, hash) {
  const path = (hash || '').replace(/^#/, '') || '/';
  const parts = path.split('?')[0].split('/').filter(Boolean);
  for (const route of routes) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < pattern.length; i += 1) {
      if (pattern[i].startsWith(':')) params[pattern[i].slice(1)] = decodeURIComponent(parts[i]);
      else if (pattern[i] !== parts[i]) { ok = false; break; }
    }
    if (ok) return { route, params };
  }
  return null;
}

export function navigate(path) {
  if (location.hash !== '#' + path) location.hash = path;
}
