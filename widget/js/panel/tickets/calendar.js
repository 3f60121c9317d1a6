// A date-range picker that speaks the widget's language (month and weekday names from Intl, the
// week starting where the locale starts it), because a native <input type=date> follows the
// browser's language, not the widget's. Pick the first day, then the last; Clear resets.
import { h } from '../dom.js';

const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

function firstDay(locale) {
  try {
    const info = new Intl.Locale(locale);
    const week = info.getWeekInfo ? info.getWeekInfo() : info.weekInfo;
    if (week && week.firstDay) return week.firstDay % 7;
  } catch {
    // older engines: fall through
  }
  return /^en-(US|CA)|^he|^ja|^ko|^zh/.test(locale) ? 0 : 1;
}

export function dateRange(t, locale, from, to, onChange) {
  let start = from ? new Date(`${from}T00:00`) : null;
  let end = to ? new Date(`${to}T00:00`) : null;
  let shown = new Date(start || Date.now());
  shown.setDate(1);
  const short = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });
  const month = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric' });
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short' });
  const long = new Intl.DateTimeFormat(locale, { dateStyle: 'long' });
  const label = h('span');
  const toggle = h('button', { type: 'button', class: 'range', 'aria-expanded': 'false', onclick: () => (pop.hidden ? openPop() : closePop()) }, label);
  const grid = h('div', { class: 'cal-grid', role: 'grid' });
  const title = h('strong', { 'aria-live': 'polite' });
  const pop = h('div', { class: 'cal', hidden: true },
    h('div', { class: 'cal-head' },
      h('button', { type: 'button', class: 'link', 'aria-label': t('history.cal_prev'), onclick: () => move(-1) }, '‹'),
      title,
      h('button', { type: 'button', class: 'link', 'aria-label': t('history.cal_next'), onclick: () => move(1) }, '›')),
    grid,
    h('div', { class: 'cal-foot' }, h('button', { type: 'button', class: 'link', onclick: () => set(null, null, true) }, t('history.cal_clear'))));

  function text() {
    if (!start) return t('history.any_date');
    if (!end || +end === +start) return short.format(start);
    return t('history.range', { from: short.format(start), to: short.format(end) });
  }
  function set(a, b, done) {
    start = a;
    end = b;
    label.textContent = text();
    draw();
    if (done) {
      closePop();
      onChange(start ? iso(start) : '', start ? iso(end || start) : '');
    }
  }
  function move(step) {
    shown = new Date(shown.getFullYear(), shown.getMonth() + step, 1);
    draw();
  }
  function pick(day) {
    if (!start || end) set(day, null, false);
    else if (day < start) set(day, start, true);
    else set(start, day, true);
  }
  function draw() {
    title.textContent = month.format(shown);
    const first = firstDay(locale);
    const names = [];
    for (let i = 0; i < 7; i += 1) names.push(weekday.format(new Date(2024, 0, 7 + ((first + i) % 7))));
    const offset = (shown.getDay() - first + 7) % 7;
    const days = new Date(shown.getFullYear(), shown.getMonth() + 1, 0).getDate();
    const cells = [];
    for (let i = 0; i < offset; i += 1) cells.push(h('span'));
    for (let d = 1; d <= days; d += 1) {
      const day = new Date(shown.getFullYear(), shown.getMonth(), d);
      const inRange = start && day >= start && day <= (end || start);
      cells.push(h('button', { type: 'button', class: inRange ? 'day on' : 'day', 'aria-pressed': String(!!inRange), 'aria-label': long.format(day), onclick: () => pick(day) }, String(d)));
    }
    grid.replaceChildren(...names.map((n) => h('span', { class: 'wd' }, n)), ...cells);
  }
  function openPop() {
    pop.hidden = false;
    toggle.setAttribute('aria-expanded', 'true');
    draw();
  }
  function closePop() {
    pop.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
  }
  pop.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault(); // closes the calendar, not the whole panel
    closePop();
    toggle.focus();
  });
  label.textContent = text();
  return h('div', { class: 'datewrap' }, toggle, pop);
}
