// The loader: the only code a host page downloads before the user asks for help, so size is
// design goal #1 (budget in widget/README.md, measured by bench/size.py). It reads its
// configuration from its own <script> tag, replays calls queued by the stub, asks the backend for
// a widget session and draws the launcher in a shadow root. The panel is an iframe on the
// backend's origin; its frame on this page (the iframe, the messages with the panel, the layout)
// is the frame chunk (../frame/index.js), imported when the user shows intent or first opens it.
import { COMMANDS, EVENTS, SECTIONS, THEME_TOKENS, tokenProperty } from '../shared/contract.js';
import { rgbOf, textOn } from '../shared/contrast.js';
import { LAUNCHER_CSS, LAUNCHER_HTML } from './styles.js';

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
let host, root, button;
let wanted = null; // {section, options} of an open() that arrived before the launcher
let opened = false; // the panel is open (or will be, once the frame chunk has arrived)
let panel = null; // the frame chunk's `panel(command, ...args)`, once imported
let loading = null; // its import, under way or done
let queued = []; // calls for the frame that came before the chunk, replayed in order
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
  if (panel) panel('session');
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
  // [open, section, user id], written by the frame chunk (saveTab)
  const [wasOpen, section, user] = JSON.parse(storage('getItem', key('panel'), null, 1)) || [];
  if (restored || user !== session.user.id) return;
  restored = true;
  if (wasOpen) open(section, null, true);
  else if (tabChat()) toFrame('resume');
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
  if (panel) panel('context');
}

// The resume token (no text) of a chat going on in this tab: sessionStorage is per tab, so a
// link followed on this site rejoins the chat, and closing the tab forgets it.
function tabChat(token) {
  return token === undefined
    ? storage('getItem', 'helpmenu.chat', null, 1)
    : storage(token ? 'setItem' : 'removeItem', 'helpmenu.chat', token, 1);
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
    button.addEventListener('click', () => toggle());
    // Intent: a pointer over the launcher (touch included) or focus on it fetches the frame
    // chunk, so that a click rarely waits for it.
    button.addEventListener('pointerenter', loadFrame);
    button.addEventListener('focus', loadFrame);
    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') close();
    });
    doc.body.appendChild(host);
  }
  const theme = applyTheme();
  button.hidden = launcherHidden ?? theme.launcher === 'hidden';
  button.lastChild.textContent = t('loader.launcher');
}

// The frame chunk, once per page. Its URL comes with the session, so it is always the one the
// backend serves now (a cached loader may be older than the server's build).
function loadFrame() {
  loading = loading || import(backend + session.frame).then(
    (module) => {
      // What the chunk borrows, in the order of its `mount` parameters (positional: each name
      // spelled here would be bytes before the click).
      panel = module.mount(
        () => [session, opts, generation, host, root, opened, hostContext],
        (fresh) => (session = fresh),
        requestSession,
        emit,
        close,
        key,
        storage,
        tabChat,
        startLive,
      );
      for (const args of queued.splice(0)) panel(...args);
    },
    (error) => {
      // Offline, or a deploy in between: say so, close, and let the next click try again.
      warn(error);
      loading = null;
      queued = [];
      close();
    },
  );
}

// Calls for the frame: run now, or kept in order until the chunk has arrived. A close with
// nothing waiting has no frame to hide and does not fetch the chunk.
function toFrame(...args) {
  if (panel) panel(...args);
  else if (args[0] !== 'close' || queued.length) {
    queued.push(args);
    loadFrame();
  }
}

function open(section, options, quiet) {
  if (section != null && !SECTIONS.includes(section)) {
    warn(`unknown section "${section}"`);
    section = null;
  }
  wanted = { section: section || null, options: options || {} };
  if (!host) return;
  wanted = null;
  const wasOpen = opened;
  if (!wasOpen) opener = doc.activeElement;
  opened = true;
  button.setAttribute('aria-expanded', 'true');
  toFrame('open', section, options, quiet);
  if (!wasOpen) emit('open', { section: section || null });
}

function close() {
  if (!opened) return;
  opened = false;
  button.setAttribute('aria-expanded', 'false');
  toFrame('close');
  // Focus goes back where it came from: the launcher, or the host's own Help entry when hidden.
  const back = button.hidden ? opener : button;
  if (back && back.focus) back.focus();
  emit('close', {});
}

function toggle() {
  if (opened) close();
  else open();
}

// Forget everything about the current user: the iframe (and with it the panel's in-memory
// session), the launcher, and pending work. Used by shutdown and by a boot as another user.
function teardown() {
  if (panel) panel('logout');
  queued = [];
  stopLive();
  if (host) host.remove();
  host = root = button = session = null;
  opened = false;
  readyDetail = null;
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
  const booted = queue.some((args) => args[0] === 'boot');
  if (!booted && data.autoBoot !== 'false') boot({});
  for (const args of queue) HelpMenu(...args);
}
