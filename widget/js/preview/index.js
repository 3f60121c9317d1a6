// The console's live theme preview (server/console/templates/theme.html). It draws the launcher
// with the loader's own CSS and a mock panel in a shadow root, applies the form's values as the
// loader does (custom properties on the host element, data-position/-scheme/-launcher), and runs
// the panel's contrast code, listing what the widget would adjust while staff type.
import { FRAME_CSS, FRAME_HTML } from '../frame/styles.js';
import { LAUNCHER_CSS, LAUNCHER_HTML } from '../loader/styles.js';
import { keepReadable } from '../panel/theme.js';
import { h, icon } from '../panel/dom.js';
import { contrast, parseColor, rgbOf, textOn, toHex } from '../shared/contrast.js';
import { THEME_TOKENS, tokenProperty } from '../shared/contract.js';
import { PREVIEW_CSS } from './styles.js';

const HEX = /^#([\da-f]{3}){1,2}$/i;
const COLORS = ['colorPrimary', 'colorAccent', 'colorText', 'colorBackground'];
const LENGTHS = { radius: 32, offsetX: 240, offsetY: 240 };
// What the server refuses in a font stack (sites/theme.py); the preview just ignores such a value.
const BAD_FONT = /[^\w\s"',.-]/;

const mount = document.getElementById('theme-widget');
const form = document.getElementById('theme-form');
const warnings = document.getElementById('theme-live-warnings');

function sheet(css) {
  const result = new CSSStyleSheet();
  result.replaceSync(css);
  return result;
}

function mockPanel(s) {
  const tabs = ['faq', 'chat', 'request', 'history', 'contact'].map((name, i) =>
    h('span', { class: 'tab', 'aria-current': i === 0 || null }, icon(name), h('span', null, s.tabs[i])),
  );
  return h(
    'div',
    { class: 'app' },
    h(
      'div',
      { class: 'head' },
      h('div', { class: 'logo' }, s.site.trim().charAt(0).toUpperCase()),
      h('div', { class: 'who' }, h('strong', null, s.site), h('div', { class: 'status' }, h('span', { class: 'dot' }), s.status)),
      h('span', { class: 'x' }, icon('close')),
    ),
    h(
      'div',
      { class: 'main' },
      h(
        'div',
        { class: 'card' },
        h('div', { class: 'badge' }, icon('faq')),
        h('h2', null, s.heading),
        h('p', null, s.text),
        h('p', { class: 'muted' }, s.muted),
        h('span', { class: 'link' }, s.link),
        h('div', { class: 'actions' }, h('span', { class: 'btn' }, s.primary), h('span', { class: 'btn secondary' }, s.secondary)),
      ),
    ),
    h('div', { class: 'tabs' }, tabs),
  );
}

// The theme as the form holds it right now; values the server would refuse count as unset.
function themeOfForm(fonts) {
  // Read from the controls, not FormData: an agent's form is disabled, and still previews.
  const value = (name) => String((form.elements.namedItem(name) || {}).value || '').trim();
  const theme = {};
  for (const name of COLORS) if (HEX.test(value(name))) theme[name] = value(name);
  for (const [name, max] of Object.entries(LENGTHS)) {
    const px = value(name).replace(/px$/i, '');
    if (/^\d+$/.test(px) && Number(px) <= max) theme[name] = `${Number(px)}px`;
  }
  const font = value('font') === 'custom' ? value('fontCustom') : fonts[value('font')];
  if (font && !BAD_FONT.test(font)) theme.fontFamily = font;
  for (const name of ['position', 'launcher', 'scheme']) theme[name] = value(name);
  return theme;
}

function start() {
  const strings = JSON.parse(mount.dataset.strings);
  const fonts = JSON.parse(mount.dataset.fonts);
  const root = mount.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [sheet(LAUNCHER_CSS), sheet(FRAME_CSS), sheet(PREVIEW_CSS)];
  root.innerHTML = LAUNCHER_HTML + FRAME_HTML;
  const button = root.querySelector('button');
  const frame = root.querySelector('.f');
  button.setAttribute('aria-expanded', 'true');
  button.lastChild.textContent = strings.launcher;
  frame.hidden = false;
  const app = mockPanel(strings);
  frame.append(app);

  function update() {
    const theme = themeOfForm(fonts);
    for (const name of THEME_TOKENS) {
      if (theme[name]) mount.style.setProperty(tokenProperty(name), theme[name]);
      else mount.style.removeProperty(tokenProperty(name));
    }
    Object.assign(mount.dataset, { position: theme.position, scheme: theme.scheme, launcher: theme.launcher });
    button.hidden = theme.launcher === 'hidden';
    // As the loader does for the launcher, then the panel for all its text.
    const style = getComputedStyle(button);
    const [back, text] = [rgbOf(style.backgroundColor), rgbOf(style.color)];
    const fix = textOn(back, text);
    if (fix) mount.style.setProperty('--hm-color-on-primary', fix);
    const label = fix ? [{ name: '--op', ratio: contrast(text, back), shown: fix }] : [];
    const panel = keepReadable(app);
    // The panel may adjust the label's colour again (its header is a gradient): its word wins.
    showIssues([...label.filter((i) => !panel.some((p) => p.name === i.name)), ...panel], strings);
  }

  form.addEventListener('input', update);
  form.addEventListener('change', update);
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', update);
  update();
}

function showIssues(issues, strings) {
  warnings.replaceChildren(
    ...issues.map(({ name, ratio, shown }) => {
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = shown;
      const text = strings.issue
        .replace('{pair}', strings.pairs[name])
        .replace('{ratio}', (Math.floor(ratio * 10) / 10).toFixed(1))
        .replace('{color}', shown);
      return h('li', null, swatch, h('span', null, text));
    }),
  );
  warnings.hidden = !issues.length;
}

// Beside each colour field, a native picker (only with this script): the two stay in step.
function linkPickers() {
  for (const picker of document.querySelectorAll('input[data-color-for]')) {
    const field = document.getElementById(picker.dataset.colorFor);
    const sync = () => {
      const value = field.value.trim();
      picker.value = HEX.test(value) ? toHex(parseColor(value)) : picker.dataset.default;
    };
    field.addEventListener('input', sync);
    picker.addEventListener('input', () => {
      field.value = picker.value;
      field.dispatchEvent(new Event('input', { bubbles: true }));
    });
    sync();
  }
  // Colour swatches of the warnings on save: set here, the console's CSP allows no style attribute.
  for (const swatch of document.querySelectorAll('[data-swatch]')) swatch.style.background = swatch.dataset.swatch;
}

if (form) linkPickers();
if (mount && form && warnings) start();
