// The panel: runs in the iframe page the backend serves at /panel. It announces itself to the
// loader (ready), receives the session in init, and draws the shell. Nothing is stored: the session
// lives in memory and dies with the iframe.
import '../../css/panel.css';
import { THEME_TOKENS, tokenProperty } from '../shared/contract.js';
import { createApi } from './api.js';
import { linkLoader, remember, savedChat } from './chat/resume.js';
import { connect } from './bridge.js';
import { createI18n, direction, loadStrings, retranslate } from './i18n.js';
import { keepTabInside } from './modal.js';
import { mountShell } from './shell.js';
import { keepReadable } from './theme.js';

const mount = document.getElementById('helpmenu-panel');
const config = JSON.parse(mount.dataset.config);
const strings = loadStrings(config);
const state = { session: null, user: null };
let shell = null;
let i18n = null;
let switching = Promise.resolve();
let modal = false; // full screen on a phone (the loader's `layout` message)
// The host's context (page URL, setContext): one object the sections read when they send, updated
// in place by the loader's `context` message.
const context = {};

function setContext(next) {
  for (const key of Object.keys(context)) delete context[key];
  Object.assign(context, next);
}

function applyTheme(theme) {
  const style = document.documentElement.style;
  const tokens = theme.tokens || {};
  for (const name of THEME_TOKENS) {
    if (tokens[name]) style.setProperty(tokenProperty(name), tokens[name]);
    else style.removeProperty(tokenProperty(name));
  }
  document.documentElement.dataset.scheme = theme.scheme || 'light';
  keepReadable(document.documentElement);
}

async function init(payload) {
  Object.assign(state, { session: payload.session, user: payload.user });
  setContext(payload.context);
  // setLocale may have changed the language between the frame's creation and now.
  const locale = config.locales[payload.locale] ? payload.locale : config.locale;
  i18n = createI18n(locale, locale === config.locale ? await strings : await loadStrings(config, locale));
  const { t } = i18n;
  applyTheme(payload.theme || {});
  setLanguage(locale);
  const api = createApi(config.api, bridge, state);
  let site = null;
  shell = mountShell(mount, {
    t,
    api,
    get locale() {
      return i18n.locale();
    },
    user: state.user,
    siteName: payload.site && payload.site.name,
    options: payload.options || {},
    context,
    // The section shown, so that the host's next page in this tab can reopen the panel on it.
    shown: (section) => bridge.post('section', { section }),
    close: () => bridge.post('close', { reason: 'button' }),
    emit: (name, detail) => bridge.post('event', { name, detail }),
    site: () => (site = site || api.get('/api/widget/site')),
  });
  linkLoader(payload.chat_resume, (token) => bridge.post('chat:resume', { token }));
  // A chat going on in this tab (a link was followed on the host site) reopens on the chat.
  shell.show(payload.section || (savedChat() ? 'chat' : null), payload.focus !== false);
}

function setLanguage(locale) {
  document.documentElement.lang = locale;
  document.documentElement.dir = direction(locale, config.rtl);
  document.title = i18n.t('panel.title');
}

// HelpMenu('setLocale'): the loader sends the session again with the new locale. Switches run one
// after the other, so a quick cs -> pl -> cs ends in Czech whatever order the files arrive in.
function switchLocale(locale) {
  switching = switching.then(async () => {
    if (!i18n || locale === i18n.locale() || !config.locales[locale]) return;
    const again = i18n.use(locale, await loadStrings(config, locale));
    setLanguage(locale);
    retranslate(document.body, again);
    if (shell) shell.relocalize();
  });
}

const bridge = connect(config.hostOrigin, (type, payload) => {
  if (type === 'init') init(payload);
  else if (type === 'open' && shell) {
    const options = payload.options && Object.keys(payload.options).length ? payload.options : undefined;
    shell.show(payload.section || shell.current(), true, options);
  }
  else if (type === 'session' && payload.session) {
    state.session = payload.session;
    if (payload.theme) applyTheme(payload.theme);
    if (payload.locale) switchLocale(payload.locale);
  }
  else if (type === 'layout') modal = payload.modal === true;
  else if (type === 'context') setContext(payload.context);
  else if (type === 'logout') {
    remember(null); // the chat of this tab belonged to that user
    state.session = state.user = shell = null;
    mount.replaceChildren();
  }
});

document.addEventListener('keydown', (event) => {
  // A part that used Esc itself (a search to clear, an open calendar) marks it handled: the
  // panel closes on the next Esc, not with the first.
  if (event.key === 'Escape' && !event.defaultPrevented) bridge.post('close', { reason: 'escape' });
  else if (event.key === 'Tab' && modal) keepTabInside(event);
});

bridge.post('ready', { version: config.version });
