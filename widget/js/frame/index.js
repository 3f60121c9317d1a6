// The frame chunk: the part of the host-page widget that only matters once the panel exists. The
// loader (../loader/index.js) keeps what the page needs before anyone asks for help (the session,
// the launcher, the API, the events, the popups) and imports this module when the user shows
// intent (pointer over or focus on the launcher), on the first open, or at once when the previous
// page of the tab had the panel open or a chat going on. Here: the frame and its iframe, the
// postMessage conversation with the panel (docs/protocol.md), the layout (modal on phones), the
// tab's panel state for the next page, and the session renewal the panel asks for.
//
// The loader owns the open/closed state and fires `open`/`close` itself, so events and focus
// return happen at the call, as documented, whether or not this chunk has arrived; this module
// makes the frame follow, in the order the calls were made.
import {
  EVENTS,
  PANEL_MESSAGES,
  SECTIONS,
  THEME_TOKENS,
  envelope,
  readEnvelope,
  tokenProperty,
} from '../shared/contract.js';
import { FRAME_CSS, FRAME_HTML, FULL_SCREEN } from './styles.js';

const win = window;
const doc = document;
// Served by the HelpMenu backend, so the chunk's own URL names the panel's origin (the same as the
// loader's `src`).
const backend = new URL(import.meta.url).origin;
const sheet = new CSSStyleSheet();
sheet.replaceSync(FRAME_CSS);
const fullScreen = win.matchMedia(FULL_SCREEN);

// What the loader lends, set once by `mount` (see there).
let values; // () => its current [session, opts, generation, host, root, open, context]
let setSession; // (session): a renewed session of the same user
let requestSession; // (): POST /api/widget/session; throws the error event's detail
let emit; // (event, detail): fires a host event
let closePanel; // (): the API's close (the panel's close button, Esc inside the panel)
let key; // (name): a storage key of the site
let storage; // (method, key, value, tab): localStorage, or sessionStorage if `tab`
let tabChat; // (token?): the tab's chat resume token, read or written
let startLive; // (): opens the popup socket (once an anonymous visitor has sent a request)

// The loader's current values, by name, read afresh each time (a boot or a renewal replaces them).
function state() {
  const [session, opts, generation, host, root, open, context] = values();
  return { session, opts, generation, host, root, open, context };
}

let frame = null; // the dialog element in the launcher's shadow root
let iframe = null;
let ready = false; // the panel said `ready` and got `init`
let section = null; // the section the panel shows, for init and the next page of the tab
let options = {};

function post(type, payload) {
  iframe.contentWindow.postMessage(envelope(type, payload), backend);
}

function sessionPayload(extra) {
  const { session } = state();
  return Object.assign(
    { session: session.session, expires_in: session.expires_in, user: session.user, locale: session.locale },
    extra,
  );
}

function pageContext() {
  return Object.assign({ page_url: location.href }, state().context);
}

// Tokens the host set in its own CSS on <helpmenu-widget> or through boot({theme}); the panel
// cannot inherit them across the iframe, so they travel in the init message.
function themeForPanel() {
  const { host } = state();
  const style = getComputedStyle(host);
  const tokens = {};
  for (const name of THEME_TOKENS) {
    const value = style.getPropertyValue(tokenProperty(name)).trim();
    if (value) tokens[name] = value;
  }
  return { tokens, scheme: host.dataset.scheme, position: host.dataset.position };
}

// Whether the panel is open and on which section (no text), for the next page of this tab.
function saveTab() {
  const value = JSON.stringify([!frame.hidden, section, state().session.user.id]);
  storage('setItem', key('panel'), value, 1);
}

function retitle() {
  const name = 'loader.panel_title';
  const title = state().session.strings[name] || name;
  if (frame) frame.setAttribute('aria-label', title);
  if (iframe) iframe.title = title;
}

// On the desktop the panel is a non-modal dialog (users copy numbers from the host app into it);
// full screen on a phone it is modal, and the panel keeps Tab inside itself.
function layout() {
  if (!frame) return;
  const modal = fullScreen.matches && !frame.hidden;
  if (modal) frame.setAttribute('aria-modal', 'true');
  else frame.removeAttribute('aria-modal');
  if (ready) post('layout', { modal });
}

function createFrame() {
  if (!frame) {
    const { root } = state();
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    const template = doc.createElement('template');
    template.innerHTML = FRAME_HTML;
    frame = template.content.firstChild;
    root.append(frame);
  }
  const { session, opts } = state();
  ready = false;
  iframe = doc.createElement('iframe');
  const query = new URLSearchParams({ site: opts.site, origin: location.origin, locale: session.locale });
  iframe.src = `${backend}/panel?${query}`;
  frame.appendChild(iframe);
  retitle();
}

// The loader's open, after it has fired `open`: show the frame on `next` (null keeps the section).
function open(next, nextOptions, quiet) {
  if (!iframe) createFrame();
  else if (ready) {
    post('open', { section: next, options: nextOptions || {} });
    // The page may have changed since (a single-page app's route): the URL travels again.
    post('context', { context: pageContext() });
  }
  frame.hidden = false;
  layout();
  // A call replayed after the chunk arrived: focus goes in only if the panel is still meant open.
  if (!quiet && state().open) iframe.focus();
  section = next || section;
  options = nextOptions || options;
  saveTab();
}

function close() {
  if (!frame) return;
  frame.hidden = true;
  layout();
  saveTab();
}

async function refreshSession(request) {
  const { generation } = state();
  try {
    const fresh = await requestSession();
    const now = state();
    // A panel only ever gets its own user's session (a boot as another user may be under way).
    if (now.generation !== generation || fresh.user.id !== now.session.user.id) return;
    setSession(fresh);
    post('session', sessionPayload({ re: request.id }));
  } catch (detail) {
    if (state().generation !== generation) return;
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
    const { session, host } = state();
    ready = true;
    post('init', sessionPayload({
      site: session.site,
      section,
      options,
      theme: themeForPanel(),
      context: pageContext(),
      chat_resume: tabChat(),
      // Focus moves into the panel only if it is still ours (not when the panel reopened itself
      // on a new page, or the user went back to the page meanwhile).
      focus: doc.activeElement === host,
    }));
    layout();
  } else if (message.type === 'close') closePanel();
  else if (message.type === 'session:expired') refreshSession(message);
  else if (message.type === 'chat:resume') tabChat(payload.token || null);
  else if (message.type === 'section' && SECTIONS.includes(payload.section)) {
    section = payload.section;
    saveTab();
  } else if (message.type === 'event' && EVENTS.includes(payload.name)) {
    if (payload.name === 'request:created') {
      storage('setItem', key('req'), '1');
      startLive();
    }
    emit(payload.name, payload.detail);
  }
}

const commands = {
  open,
  close,
  // A chat of this tab goes on in a closed panel (the previous page had one): it resumes unseen.
  resume() {
    section = 'chat';
    if (!iframe) createFrame();
  },
  // After each boot: the launcher may speak another language, the session or theme may be new.
  session() {
    retitle();
    if (ready) post('session', sessionPayload({ theme: themeForPanel() }));
  },
  context() {
    if (ready) post('context', { context: pageContext() });
  },
  // The user is gone (shutdown, another user): the panel forgets them before the loader removes
  // the launcher, and with it this frame.
  logout() {
    if (iframe && ready) post('logout', {});
    frame = iframe = null;
    ready = false;
    section = null;
    options = {};
  },
};

/**
 * Called once per page by the loader with what it lends (described at the top of this module, in
 * this order); returns how the loader drives the frame: `panel(command, ...args)` with `open`
 * (section, options, quiet), `close`, `resume`, `session`, `context` or `logout`.
 */
export function mount(...lent) {
  [values, setSession, requestSession, emit, closePanel, key, storage, tabChat, startLive] = lent;
  win.addEventListener('message', onMessage);
  fullScreen.addEventListener('change', layout);
  return (command, ...args) => commands[command](...args);
}
