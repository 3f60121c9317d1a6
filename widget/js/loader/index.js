// The loader: the only code a host page downloads before the user asks for help, so size is
// design goal #1 (budget in widget/README.md, measured by bench/size.py). It reads its
// configuration from its own <script> tag, replays calls queued by the stub, asks the backend for
// a widget session and draws the launcher in a shadow root. Everything else lives in the panel,
// an iframe on the backend's origin, loaded on the first click.
import {
  COMMANDS,
  EVENTS,
  PANEL_MESSAGES,
  SECTIONS,
  THEME_TOKENS,
  envelope,
  readEnvelope,
  tokenProperty,
} from '../shared/contract.js';
import { rgbOf, textOn } from '../shared/contrast.js';
import { FULL_SCREEN, LAUNCHER_CSS, LAUNCHER_HTML } from './styles.js';

const win = window;
const doc = document;
const PREFIX = 'HelpMenu: ';

// The script is async, so document.currentScript is only set while this code first runs; the
// query is the fallback for environments that leave it null (some tag managers re-insert scripts).
const script = doc.currentScript || doc.querySelector('script[src$="/widget.js"][data-site]');
const backend = new URL(script.src, location.href).origin;
const data = script.dataset;

const listeners = {};
let opts = null; // options of the current boot
let session = null; // the last successful session response
let generation = 0; // bumped by boot/shutdown so that late responses of an old user are dropped
let host, root, button, frame, iframe;
let wanted = null; // {section, options} of an open() that arrived before the launcher
let panelReady = false;
let pendingSection = null; // what init should show when the panel reports ready
let pendingOptions = {};
let readyDetail = null;
let chosenLocale; // from boot({locale}) or setLocale
let launcherHidden = null; // hide/show: a page choice (its own Help entry), kept across boots; null: the theme's
let opener = null; // what had focus before the panel opened, for when the launcher is hidden
let hostContext = {}; // boot({context}) / setContext: sent with requests and chats
let restored = false; // the panel of the previous page in this tab was reopened

function warn(message) {
  console.warn(PREFIX + message);
}

function t(key) {
  return (session && session.strings[key]) || key;
}

function emit(event, detail) {
  if (event === 'ready') readyDetail = detail;
  for (const [fn, once] of listeners[event] || []) {
    if (once) listeners[event].delete(fn);
    try {
      fn(detail);
    } catch (error) {
      console.error(error);
    }
  }
  win.dispatchEvent(new CustomEvent(`helpmenu:${event}`, { detail }));
}

// Our storage keys, per site: `anon` (the anonymous id), `req` (a request was sent from this
// browser), `panel` (the panel state of this tab, in sessionStorage).
function key(name, site = opts.site) {
  return `helpmenu:${site}:${name}`;
}

// Storage can throw (disabled cookies, sandboxed frames); the widget then stays anonymous per page.
// `tab`: sessionStorage, which is per tab and survives the links followed in it.
function storage(method, key, value, tab) {
  try {
    return (tab ? sessionStorage : localStorage)[method](key, value);
  } catch {
    return null;
  }
}

async function requestSession() {
  const site = opts.site;
  const body = { site };
  // boot({token}) may be a function returning a token (or a Promise of one): called at boot and
  // again whenever the session is renewed, so the host can hand out short-lived tokens.
  let token = opts.token;
  if (typeof token === 'function') {
    token = await Promise.resolve().then(token).catch(() => 0);
    if (!token || typeof token !== 'string') throw { code: 'invalid_token', reason: 'callback' };
  }
  if (token) body.token = token;
  else body.anonymous_id = storage('getItem', key('anon', site)) || undefined;
  // Languages in order of preference; the server takes the first it has, else the site's default.
  body.locale = [opts.locale, data.locale, doc.documentElement.lang, ...(navigator.languages || [])].filter(Boolean);
  let response;
  let json;
  try {
    response = await fetch(`${backend}/api/widget/session`, {
      method: 'POST',
      credentials: 'omit',
      // No Content-Type: a text/plain body is a "simple" request, so no CORS preflight delays
      // the launcher; the backend reads the body as JSON whatever its type.
      body: JSON.stringify(body),
    });
    json = await response.json();
  } catch {
    json = { error: 'network' };
  }
  if (response && response.ok) {
    if (json.anonymous_id) storage('setItem', key('anon', site), json.anonymous_id);
    return json;
  }
  // The backend's {error, message, reason?} becomes the error event's {code, message, reason?}.
  const { error, ...detail } = json;
  throw Object.assign({ code: error || 'http_' + (response && response.status) }, detail);
}

async function boot(options, quiet) {
  // A language set by boot or setLocale stays for later boots; otherwise requestSession guesses.
  const next = Object.assign({ site: data.site, locale: chosenLocale }, options);
  chosenLocale = next.locale;
  if (!next.site) return warn('no site: data-site or boot({site})');
  if ('context' in options) setContext(options.context);
  // The same user (the user id the backend names, on the same site) is refreshed in place; another
  // one is a logout first: the old panel is destroyed before the new session touches anything.
  const was = opts && session && opts.site === next.site && session.user.id;
  opts = next;
  const current = ++generation;
  let fresh;
  try {
    fresh = await requestSession();
  } catch (detail) {
    if (current !== generation) return;
    warn(Object.values(detail).join(' '));
    if (!quiet) teardown(); // a failed setLocale keeps the widget as it was
    return emit('error', detail);
  }
  if (current !== generation) return;
  if (session && fresh.user.id !== was) teardown();
  session = fresh;
  draw();
  // A boot may bring another theme (a host app switching to dark mode): the open panel follows.
  if (panelReady) post('session', sessionPayload({ theme: themeForPanel() }));
  if (quiet) stopLive();
  else emit('ready', { user: session.user, locale: session.locale });
  (win.requestIdleCallback || setTimeout)(startLive);
  if (wanted) open(wanted.section, wanted.options);
  else restore();
}

// Was the panel open on the previous page of this tab (a link followed, a reload)? Then it opens
// again on its section, leaving focus with the page; a chat going on in a closed panel resumes out
// of sight. Once per page, and only for the user it was open for (a page may boot anonymously
// before its token arrives).
function restore() {
  // [open, section, user id], written by saveTab
  const [wasOpen, section, user] = JSON.parse(storage('getItem', key('panel'), null, 1)) || [];
  if (restored || user !== session.user.id) return;
  restored = true;
  if (wasOpen) open(section, null, true);
  else if (tabChat()) {
    pendingSection = 'chat';
    createFrame();
  }
}

// Whether the panel is open and on which section (no text), for the next page of this tab.
function saveTab() {
  storage('setItem', key('panel'), JSON.stringify([!frame.hidden, pendingSection, session.user.id]), 1);
}

function pageContext() {
  return Object.assign({ page_url: location.href }, hostContext);
}

// Free data about the page (product, version, record id) for requests and chats: a flat object of
// short values, as the backend stores it (tickets/service.py: clean_context).
function setContext(value) {
  value = value || {};
  if (typeof value !== 'object' || Array.isArray(value) || JSON.stringify(value).length > 4096 ||
      Object.values(value).some((v) => Object(v) === v)) {
    return warn('context: flat, at most 4 kB');
  }
  hostContext = Object.assign({}, value);
  if (panelReady) post('context', { context: pageContext() });
}

// The resume token (no text) of a chat going on in this tab: sessionStorage is per tab, so a
// link followed on this site rejoins the chat, and closing the tab forgets it.
function tabChat(token) {
  return token === undefined
    ? storage('getItem', 'helpmenu.chat', null, 1)
    : storage(token ? 'setItem' : 'removeItem', 'helpmenu.chat', token, 1);
}

function sessionPayload(extra) {
  return Object.assign(
    { session: session.session, expires_in: session.expires_in, user: session.user, locale: session.locale },
    extra,
  );
}

// Tokens the host set in its own CSS on <helpmenu-widget> or through boot({theme}); the panel
// cannot inherit them across the iframe, so they travel in the init message.
function themeForPanel() {
  const style = getComputedStyle(host);
  const tokens = {};
  for (const name of THEME_TOKENS) {
    const value = style.getPropertyValue(tokenProperty(name)).trim();
    if (value) tokens[name] = value;
  }
  return { tokens, scheme: host.dataset.scheme, position: host.dataset.position };
}

// The site's theme (edited in the console) is a :host rule, which loses to the host page's own CSS
// for <helpmenu-widget>; boot({theme}) is set inline, above both: token by token, the host wins.
function applyTheme() {
  const site = session.theme || {};
  const own = opts.theme || {};
  const theme = Object.assign({}, site, own);
  const sheet = root.adoptedStyleSheets[1];
  sheet.replaceSync(':host{}');
  for (const name of THEME_TOKENS) {
    const prop = tokenProperty(name);
    if (site[name] != null) sheet.cssRules[0].style.setProperty(prop, site[name]);
    if (own[name] != null) host.style.setProperty(prop, String(own[name]));
    else host.style.removeProperty(prop);
  }
  host.dataset.position = theme.position === 'left' ? 'left' : 'right';
  host.dataset.scheme = theme.scheme || 'light';
  host.dataset.launcher = theme.launcher || 'label';
  // The launcher's label keeps 4.5:1 on its colour whatever colours were chosen.
  const style = getComputedStyle(button);
  const fix = textOn(rgbOf(style.backgroundColor), rgbOf(style.color));
  if (fix) host.style.setProperty('--hm-color-on-primary', fix);
  return theme;
}

function draw() {
  if (!host) {
    // An autonomous custom element name needs no registration to carry an open shadow root.
    host = doc.createElement('helpmenu-widget');
    root = host.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(LAUNCHER_CSS);
    root.adoptedStyleSheets = [sheet, new CSSStyleSheet()];
    root.innerHTML = LAUNCHER_HTML;
    button = root.querySelector('button');
    frame = root.querySelector('.f');
    button.addEventListener('click', () => toggle());
    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !frame.hidden) close();
    });
    doc.body.appendChild(host);
  }
  const theme = applyTheme();
  button.hidden = launcherHidden ?? theme.launcher === 'hidden';
  button.lastChild.textContent = t('loader.launcher');
  frame.setAttribute('aria-label', t('loader.panel_title'));
  if (iframe) iframe.title = t('loader.panel_title'); // setLocale
}

// On the desktop the panel is a non-modal dialog (users copy numbers from the host app into it);
// full screen on a phone it is modal, and the panel keeps Tab inside itself.
const fullScreen = win.matchMedia(FULL_SCREEN);
function layout() {
  if (!frame) return;
  const modal = fullScreen.matches && !frame.hidden;
  if (modal) frame.setAttribute('aria-modal', 'true');
  else frame.removeAttribute('aria-modal');
  if (panelReady) post('layout', { modal });
}
fullScreen.addEventListener('change', layout);

function createFrame() {
  panelReady = false;
  iframe = doc.createElement('iframe');
  iframe.title = t('loader.panel_title');
  const query = new URLSearchParams({ site: opts.site, origin: location.origin, locale: session.locale });
  iframe.src = `${backend}/panel?${query}`;
  frame.appendChild(iframe);
}

function post(type, payload) {
  iframe.contentWindow.postMessage(envelope(type, payload), backend);
}

function open(section, options, quiet) {
  if (section != null && !SECTIONS.includes(section)) {
    warn(`unknown section "${section}"`);
    section = null;
  }
  wanted = { section: section || null, options: options || {} };
  if (!host) return;
  wanted = null;
  if (!iframe) createFrame();
  else if (panelReady) {
    post('open', { section, options: options || {} });
    // The page may have changed since (a single-page app's route): the URL travels again.
    post('context', { context: pageContext() });
  }
  const wasOpen = !frame.hidden;
  if (!wasOpen) opener = doc.activeElement;
  frame.hidden = false;
  button.setAttribute('aria-expanded', 'true');
  layout();
  if (!quiet) iframe.focus();
  if (!wasOpen) emit('open', { section: section || null });
  pendingSection = section || pendingSection;
  pendingOptions = options || pendingOptions;
  saveTab();
}

function close() {
  if (!host || frame.hidden) return;
  frame.hidden = true;
  button.setAttribute('aria-expanded', 'false');
  layout();
  // Focus goes back where it came from: the launcher, or the host's own Help entry when hidden.
  const back = button.hidden ? opener : button;
  if (back && back.focus) back.focus();
  saveTab();
  emit('close', {});
}

function toggle() {
  if (host && !frame.hidden) close();
  else open();
}

// Forget everything about the current user: the iframe (and with it the panel's in-memory
// session), the launcher, and pending work. Used by shutdown and by a boot as another user.
function teardown() {
  if (iframe && panelReady) post('logout', {});
  stopLive();
  if (host) host.remove();
  host = root = button = frame = iframe = session = null;
  panelReady = false;
  readyDetail = null;
  pendingSection = null;
  pendingOptions = {};
}

function shutdown() {
  generation++;
  // A shared computer must not hand the next person the previous visitor's anonymous history.
  if (opts) {
    storage('removeItem', key('anon'));
    storage('removeItem', key('req'));
    storage('removeItem', key('panel'), null, 1);
  }
  tabChat(null);
  teardown();
  opts = null;
  wanted = null;
  hostContext = {};
}

async function refreshSession(request) {
  const current = generation;
  try {
    const fresh = await requestSession();
    // A panel only ever gets its own user's session (a boot as another user may be under way).
    if (current !== generation || fresh.user.id !== session.user.id) return;
    session = fresh;
    post('session', sessionPayload({ re: request.id }));
  } catch (detail) {
    if (current !== generation) return;
    post('session', { re: request.id, session: null, error: detail.code });
    emit('error', detail);
  }
}

function onMessage(event) {
  if (!iframe || event.source !== iframe.contentWindow || event.origin !== backend) return;
  const message = readEnvelope(event.data, PANEL_MESSAGES);
  if (!message) return;
  const payload = message.payload || {};
  if (message.type === 'ready') {
    panelReady = true;
    post('init', sessionPayload({
      locale: session.locale,
      site: session.site,
      section: pendingSection,
      options: pendingOptions,
      theme: themeForPanel(),
      context: pageContext(),
      chat_resume: tabChat(),
      // Focus moves into the panel only if it is still ours (not when the panel reopened itself
      // on a new page, or the user went back to the page meanwhile).
      focus: doc.activeElement === host,
    }));
    layout();
  } else if (message.type === 'close') close();
  else if (message.type === 'session:expired') refreshSession(message);
  else if (message.type === 'chat:resume') tabChat(payload.token || null);
  else if (message.type === 'section' && SECTIONS.includes(payload.section)) {
    pendingSection = payload.section;
    saveTab();
  } else if (message.type === 'event' && EVENTS.includes(payload.name)) {
    if (payload.name === 'request:created') {
      storage('setItem', key('req'), '1');
      startLive();
    }
    emit(payload.name, payload.detail);
  }
}

// Popups (docs/live.md): one websocket from this page, opened when the page is idle, for identified
// users and for anonymous visitors who have sent a request from this browser. The session goes in
// the first message, never in the URL. The popup code is fetched only when something is pending.
let live = null;
let popup = null;
let hello = {};
let badge = null;
let retry = 1000;

function startLive() {
  if (live || !session || (session.user.anonymous && !storage('getItem', key('req')))) return;
  const current = generation;
  const query = new URLSearchParams({ site: opts.site, locale: session.locale });
  const ws = (live = new WebSocket(`${backend.replace(/^http/, 'ws')}/api/widget/popups?${query}`));
  ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', session: session.session }));
  ws.onmessage = async (event) => {
    const message = JSON.parse(event.data);
    if (message.type !== 'state') return;
    retry = 1000;
    if (message.strings) hello = message;
    showBadge(message.unread);
    if (message.items.length && !popup && hello.popup) {
      const module = await import(hello.popup);
      if (live !== ws) return;
      popup = popup || module.mount({
        strings: hello.strings,
        send: (data) => live && live.send(JSON.stringify(data)),
        view: (number) => open('history', { request: number }),
        emit,
      });
    }
    if (popup) popup.update(message.items);
  };
  ws.onclose = async (event) => {
    if (live !== ws) return;
    live = null;
    if (event.code === 4401) {
      try {
        session = await requestSession();
      } catch {
        return;
      }
    }
    if (current === generation && event.code !== 4403) setTimeout(startLive, (retry = Math.min(retry * 2, 60000)) * (0.5 + Math.random()));
  };
}

function stopLive() {
  const ws = live;
  live = null;
  if (ws) ws.close();
  if (popup) popup.destroy();
  popup = null;
  if (badge) badge.remove();
  badge = null;
}

function showBadge(count) {
  if (!button) return;
  if (!badge) {
    badge = doc.createElement('b');
    button.insertBefore(badge, button.lastChild);
  }
  badge.textContent = count > 9 ? '9+' : String(count);
  badge.hidden = !count;
}

// setLocale: a quiet boot of the same user in the new language. The launcher's strings come with
// the session, the panel switches live on the session message, the popups' socket reconnects.
function setLocale(locale) {
  if (typeof locale !== 'string' || !locale) return warn('setLocale: a language code');
  chosenLocale = locale;
  if (opts) boot(Object.assign({}, opts, { locale }), true);
}

function listen(event, fn, once) {
  if (!EVENTS.includes(event)) return warn(`unknown event "${event}"`);
  if (typeof fn !== 'function') return warn(`${event}: no function`);
  // A late subscriber still learns that the widget is ready.
  if (event === 'ready' && readyDetail) {
    setTimeout(() => fn(readyDetail));
    if (once) return;
  }
  (listeners[event] = listeners[event] || new Map()).set(fn, once);
}

// hide: the host shows its own Help entry instead; open/close/toggle keep working.
function setLauncher(hidden) {
  launcherHidden = hidden;
  if (button) button.hidden = hidden;
}

const commands = {
  boot: (options) => boot(options || {}),
  open,
  close,
  toggle,
  shutdown,
  show: () => setLauncher(false),
  hide: () => setLauncher(true),
  setLocale,
  setContext,
  on: (event, fn) => listen(event, fn, false),
  once: (event, fn) => listen(event, fn, true),
  off(event, fn) {
    if (listeners[event]) listeners[event].delete(fn);
  },
};

function HelpMenu(command, ...args) {
  if (!COMMANDS.includes(command)) return warn(`unknown command "${command}"`);
  commands[command](...args);
}

// Loaded twice (an SPA re-inserting the tag)? The first copy keeps working; the second stays out.
if (!(win.HelpMenu && win.HelpMenu.loaded)) {
  const queue = (win.HelpMenu && win.HelpMenu.q) || [];
  HelpMenu.loaded = true;
  win.HelpMenu = HelpMenu;
  // Registered here, not at the top: a second copy of the script must add no listener at all.
  win.addEventListener('message', onMessage);
  const booted = queue.some((args) => args[0] === 'boot');
  if (!booted && data.autoBoot !== 'false') boot({});
  for (const args of queue) HelpMenu(...args);
}
