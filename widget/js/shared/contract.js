// The one catalogue of what the widget speaks: host commands, host events, and the loader-panel
// postMessage types. The code validates against these arrays at runtime and
// tests/test_widget_docs.py checks that docs/js-api.md and docs/protocol.md name every entry (and
// nothing else), so adding a command or a message type here is how it becomes part of the contract.

/** Version of the postMessage envelope `{hm, type, id, payload}`; receivers ignore other versions. */
export const PROTOCOL = 1;

/** `HelpMenu(command, ...args)` commands accepted from the host page. */
export const COMMANDS = ['boot', 'open', 'close', 'toggle', 'shutdown', 'show', 'hide', 'setLocale', 'setContext', 'on', 'off', 'once'];

/** Events the host can subscribe to with `HelpMenu('on', event, fn)` or `helpmenu:<event>`. */
export const EVENTS = [
  'ready',
  'open',
  'close',
  'error',
  'request:created',
  'notification:shown',
  'chat:started',
  'chat:ended',
];

/** Sections `HelpMenu('open', section)` accepts; the first is the default. */
export const SECTIONS = ['faq', 'chat', 'request', 'history', 'contact'];

/** Messages the panel (iframe) posts to the loader (host page). */
export const PANEL_MESSAGES = ['ready', 'close', 'session:expired', 'event', 'chat:resume', 'section'];

/** Messages the loader (host page) posts to the panel (iframe). */
export const LOADER_MESSAGES = ['init', 'open', 'session', 'logout', 'layout', 'context'];

/**
 * Theme tokens of `boot({theme})` and of the site's theme (edited in the console): each becomes
 * the CSS custom property `--hm-<kebab-case>` on the launcher and in the panel. The choices in
 * THEME_OPTIONS below are options, not properties.
 */
export const THEME_TOKENS = [
  'colorPrimary',
  'colorOnPrimary',
  'colorAccent',
  'colorBackground',
  'colorSurface',
  'colorText',
  'colorMuted',
  'colorBorder',
  'fontFamily',
  'radius',
  'offsetX',
  'offsetY',
  'zIndex',
];

/**
 * Theme options, beside the tokens: `position` ("right" | "left"), `launcher` ("label": icon and
 * label, "icon", "hidden": the host has its own Help entry) and `scheme` ("light" | "dark" |
 * "auto": follow the system). The first value of each is the default.
 */
export const THEME_OPTIONS = ['position', 'launcher', 'scheme'];

let counter = 0;

/** A protocol envelope; `id` is unique per sender so replies can name what they answer. */
export function envelope(type, payload) {
  counter += 1;
  return { hm: PROTOCOL, type, id: `${Date.now().toString(36)}-${counter}`, payload: payload || {} };
}

/** The envelope in `data` if it is one of ours, of a known version and an expected type. */
export function readEnvelope(data, types) {
  return data && data.hm === PROTOCOL && types.includes(data.type) && typeof data.id === 'string'
    ? data
    : null;
}

/** `colorPrimary` -> `--hm-color-primary`. */
export function tokenProperty(name) {
  return `--hm-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
