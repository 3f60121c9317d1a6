// Text in the panel keeps 4.5:1 on whatever colours the site or the host chose (themeFixes in
// shared/contrast.js). The colours are read back as the browser resolved them (defaults, scheme,
// the host's tokens and color-mix() alike) through a hidden probe, so nothing here repeats the CSS.
// The console's live preview runs the same code on its mock panel.
import { themeIssues } from '../shared/contrast.js';

const COLORS = ['p', 'op', 'bg', 'sf', 'tx', 'mu', 'pt'];
const FIXED = ['--op', '--tx', '--mu', '--pt'];
const watched = new WeakSet();

/**
 * Override, on `el`, the text colours that would read below 4.5:1 among the custom properties it
 * defines (--p, --op, --bg, --sf, --tx, --mu, --pt); returns the issues (themeIssues). With the
 * scheme following the system, it runs again when the system switches.
 */
export function keepReadable(el) {
  for (const name of FIXED) el.style.removeProperty(name);
  const probe = document.createElement('i');
  probe.hidden = true;
  (el === document.documentElement ? document.body : el).append(probe);
  const colors = {};
  for (const name of COLORS) {
    probe.style.color = `var(--${name})`;
    colors[name] = getComputedStyle(probe).color;
  }
  probe.remove();
  const issues = themeIssues(colors);
  for (const { name, shown } of issues) el.style.setProperty(name, shown);
  if (!watched.has(el)) {
    watched.add(el);
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => keepReadable(el));
  }
  return issues;
}
