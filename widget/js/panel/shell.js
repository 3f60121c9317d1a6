// The panel's frame: a header with the site and its support status, the section area, and the tab
// bar. Sections are lazy chunks (code splitting); a section's view is kept once rendered so that
// switching tabs never loses what the user typed.
import { SECTIONS } from '../shared/contract.js';
import { h, icon } from './dom.js';
import { statusLine } from './hours.js';

const LOADERS = {
  faq: () => import('./sections/faq.js'),
  chat: () => import('./sections/chat.js'),
  request: () => import('./sections/request.js'),
  history: () => import('./sections/history.js'),
  contact: () => import('./sections/contact.js'),
};

// Whether the user changed a field of this view (typed, chose, ticked).
function edited(view) {
  return [...view.querySelectorAll('input, textarea, select')].some((el) =>
    el.tagName === 'SELECT'
      ? [...el.options].some((o) => o.selected !== o.defaultSelected)
      : el.type === 'checkbox' || el.type === 'radio' ? el.checked !== el.defaultChecked : el.value !== el.defaultValue,
  );
}

export function mountShell(mount, ctx) {
  const { t } = ctx;
  const views = {};
  const tabs = {};
  let current = null;

  const status = h('span', null, '');
  const dot = h('span', { class: 'dot', 'aria-hidden': 'true' });
  const main = h('main', { class: 'main', id: 'hm-main' });
  const nav = h(
    'nav',
    { class: 'tabs', 'aria-label': t('panel.sections') },
    SECTIONS.map((name) => {
      tabs[name] = h(
        'button',
        { type: 'button', class: 'tab', 'data-section': name, onclick: () => show(name, false) },
        icon(name),
        h('span', null, t(`nav.${name}`)),
      );
      return tabs[name];
    }),
  );
  const siteName = ctx.siteName || t('panel.title');
  mount.replaceChildren(
    h(
      'div',
      { class: 'app' },
      h(
        'header',
        { class: 'header' },
        h('div', { class: 'logo', 'aria-hidden': 'true' }, siteName.trim().charAt(0).toUpperCase()),
        h('div', { class: 'who' }, h('h1', null, siteName), h('p', { class: 'status' }, dot, status)),
        h(
          'button',
          { type: 'button', class: 'close', 'aria-label': t('panel.close'), title: t('panel.close'), onclick: ctx.close },
          icon('close'),
        ),
      ),
      main,
      nav,
    ),
  );

  let siteInfo = null;
  const paintStatus = () => {
    status.textContent = statusLine(t, ctx.locale, siteInfo);
  };
  ctx.site().then(
    (site) => {
      siteInfo = site;
      paintStatus();
      dot.classList.toggle('off', !site.open_now);
    },
    () => {
      status.textContent = t('panel.status_unknown');
      dot.classList.add('off');
    },
  );

  // go(section, options) passes options (e.g. {prefill}) to the section it opens, as a fresh view.
  async function show(name, focus, options) {
    if (!LOADERS[name]) name = SECTIONS[0];
    if (options && views[name]) {
      views[name].remove();
      delete views[name];
    }
    current = name;
    if (ctx.shown) ctx.shown(name);
    for (const [key, tab] of Object.entries(tabs)) {
      if (key === name) tab.setAttribute('aria-current', 'page');
      else tab.removeAttribute('aria-current');
    }
    for (const view of Object.values(views)) view.hidden = true;
    if (!views[name]) {
      views[name] = h('div', { class: 'view', 'data-view': name }, h('div', { class: 'loading', role: 'status' }, t('panel.loading')));
      main.append(views[name]);
      try {
        const module = await LOADERS[name]();
        const go = (next, opts) => show(next, true, opts);
        views[name].replaceChildren(module.render({ ...ctx, options: options || ctx.options, go }));
      } catch {
        views[name].replaceChildren(h('p', { class: 'error', role: 'alert' }, t('panel.load_failed')));
      }
    }
    if (current !== name) return;
    views[name].hidden = false;
    main.scrollTop = 0;
    const heading = views[name].querySelector('h2');
    if (focus && heading) heading.focus();
  }

  // After a language switch (i18n.js has retranslated the text in place), dates and numbers that
  // sections formatted with Intl are still in the old language: a view that holds nothing of the
  // user's (Contact us; a hidden FAQ or history with no filter or search typed) is dropped and drawn
  // anew in the new one when shown. The forms and the chat are never dropped.
  function relocalize() {
    if (siteInfo) paintStatus();
    for (const [name, view] of Object.entries(views)) {
      if (name === 'chat' || name === 'request' || (name !== 'contact' && (name === current || edited(view)))) continue;
      view.remove();
      delete views[name];
      if (name === current) show(name, false);
    }
  }

  return { show, relocalize, current: () => current };
}
