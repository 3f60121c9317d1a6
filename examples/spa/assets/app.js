// RoomFlow, a single-page app: the router renders <main>, help.js connects HelpMenu.
import { helpRoute, startHelp } from './help.js';
import { onRoute, start } from './router.js';
import { routeOf } from './views.js';

const view = document.getElementById('view');
let first = true;

startHelp();

onRoute((path) => {
  const route = routeOf(path);
  document.title = `RoomFlow · ${route.title}`;
  view.innerHTML = route.html(); // the app's own static markup, no user data
  for (const bar of view.querySelectorAll('.chart i[data-v]')) bar.style.setProperty('--v', `${bar.dataset.v}%`);
  for (const link of document.querySelectorAll('.routes a')) {
    if (new URL(link.href).pathname === path) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  helpRoute(route);
  // A new screen takes focus like a new page would, except on the first load.
  if (!first) view.focus();
  first = false;
});

start();
