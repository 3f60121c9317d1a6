// A small history-API router: links marked data-link change the route without loading a page,
// Back and Forward work, and each change re-renders only <main>. The widget lives outside <main>
// and is never re-created by a route change.
const listeners = new Set();
let current = null;

export function currentPath() {
  return current;
}

export function onRoute(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function navigate(path, { replace = false } = {}) {
  if (path === current) return;
  history[replace ? 'replaceState' : 'pushState']({}, '', path);
  render(path);
}

function render(path) {
  current = path;
  for (const fn of listeners) fn(path);
}

export function start() {
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-link]');
    // Let the browser handle new-tab clicks and anything that is not a plain left click.
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(new URL(link.href).pathname);
  });
  window.addEventListener('popstate', () => render(location.pathname));
  render(location.pathname);
}
