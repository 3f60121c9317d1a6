// TypeScript declarations of the HelpMenu JavaScript API (docs/js-api.md): the global
// `HelpMenu(command, ...args)`, its options, its events and their `helpmenu:<event>` DOM events.
// tests/widget/test_types.py type-checks a usage sample against this file with `tsc --noEmit` and
// fails when a command, an event, a section or a theme token of widget/js/shared/contract.js is
// missing here.
//
// Use it from a host app's TypeScript: `/// <reference types="helpmenu-widget" />` with this package
// installed (it is the `types` of package.json), or a copy of this file in your sources.

/** Sections of the panel; `faq` is the default. */
export type HelpMenuSection = 'faq' | 'chat' | 'request' | 'history' | 'contact';

/** A JWT your backend signed with the site secret (docs/identity.md). */
export type HelpMenuIdentityToken = string;

/**
 * `boot({token})`: the token, or a function returning one (or a Promise of one). The loader calls
 * the function at `boot` and again whenever the widget session expires.
 */
export type HelpMenuToken = HelpMenuIdentityToken | (() => HelpMenuIdentityToken | PromiseLike<HelpMenuIdentityToken>);

/**
 * Free data about the page, sent with requests and chats: a flat object of short values, at most
 * 4 kB of JSON. The loader adds `page_url`.
 */
export type HelpMenuContext = Record<string, string | number | boolean | null>;

/** Theme tokens (each the CSS custom property `--hm-<kebab-case>`) and options of `boot({theme})`. */
export interface HelpMenuTheme {
  colorPrimary?: string;
  colorOnPrimary?: string;
  colorAccent?: string;
  colorBackground?: string;
  colorSurface?: string;
  colorText?: string;
  colorMuted?: string;
  colorBorder?: string;
  fontFamily?: string;
  radius?: string;
  offsetX?: string;
  offsetY?: string;
  zIndex?: string | number;
  /** The launcher's side; default `right`. */
  position?: 'right' | 'left';
  /** The launcher: icon and label (default), icon only, or none (the host has its own Help entry). */
  launcher?: 'label' | 'icon' | 'hidden';
  /** Light (default), dark, or the user's system setting. */
  scheme?: 'light' | 'dark' | 'auto';
}

export interface HelpMenuBootOptions {
  /** The site's public key; wins over the script tag's `data-site`. */
  site?: string;
  /** Identified user; without it the user is anonymous. */
  token?: HelpMenuToken;
  /** A language code such as `uk` or `cs`; default: `data-locale`, `<html lang>`, the browser. */
  locale?: string;
  theme?: HelpMenuTheme;
  /** As `setContext`; a boot without it keeps the current context. */
  context?: HelpMenuContext | null;
}

export type HelpMenuImportance = 'low' | 'normal' | 'high' | 'critical';

export interface HelpMenuRequestFields {
  /** A topic id or its exact name. */
  topic?: number | string;
  subject?: string;
  message?: string;
  importance?: HelpMenuImportance;
}

export interface HelpMenuRequestOptions {
  /** Fills the New request form. */
  prefill?: HelpMenuRequestFields;
  /** Fields the user may not change. */
  lock?: Array<keyof HelpMenuRequestFields>;
  /** Stored with this request only, beside the page context. */
  context?: HelpMenuContext;
}

/** `open('faq', …)`: an article by id, or a search (at most 200 characters). */
export type HelpMenuFaqOptions = { article: number } | { query: string } | Record<string, never>;

export interface HelpMenuHistoryOptions {
  /** Opens Request history on this request number. */
  request?: number;
}

export interface HelpMenuUser {
  id: string;
  name: string | null;
  email: string | null;
  account: string | null;
  anonymous: boolean;
}

export interface HelpMenuReadyDetail {
  user: HelpMenuUser;
  locale: string;
}

export interface HelpMenuOpenDetail {
  section: HelpMenuSection | null;
}

export interface HelpMenuErrorDetail {
  /** `invalid_token`, `unknown_site`, `origin_not_allowed`, `network`, … */
  code: string;
  message?: string;
  /** For `invalid_token`: `expired`, `bad_signature`, `malformed`, `callback`, … */
  reason?: string;
}

export interface HelpMenuRequestCreatedDetail {
  number: number;
}

export interface HelpMenuNotificationShownDetail {
  number: number;
  kind: 'reply' | 'status' | 'message';
}

export interface HelpMenuChatEndedDetail {
  by: 'visitor' | 'agent' | 'timeout';
}

/** Every event and its `detail`, as given to listeners and in the `helpmenu:<event>` DOM events. */
export interface HelpMenuEventMap {
  ready: HelpMenuReadyDetail;
  open: HelpMenuOpenDetail;
  close: Record<string, never>;
  error: HelpMenuErrorDetail;
  'request:created': HelpMenuRequestCreatedDetail;
  'notification:shown': HelpMenuNotificationShownDetail;
  'chat:started': Record<string, never>;
  'chat:ended': HelpMenuChatEndedDetail;
}

export type HelpMenuEvent = keyof HelpMenuEventMap;

export type HelpMenuListener<E extends HelpMenuEvent> = (detail: HelpMenuEventMap[E]) => void;

/** The commands `HelpMenu(command, ...)` accepts. */
export type HelpMenuCommand =
  | 'boot'
  | 'open'
  | 'close'
  | 'toggle'
  | 'shutdown'
  | 'show'
  | 'hide'
  | 'setLocale'
  | 'setContext'
  | 'on'
  | 'off'
  | 'once';

/** `window.HelpMenu`: one function, one overload per command. */
export interface HelpMenuApi {
  (command: 'boot', options?: HelpMenuBootOptions): void;
  (command: 'open', section: 'request', options?: HelpMenuRequestOptions): void;
  (command: 'open', section: 'faq', options?: HelpMenuFaqOptions): void;
  (command: 'open', section: 'history', options?: HelpMenuHistoryOptions): void;
  (command: 'open', section?: HelpMenuSection | null): void;
  (command: 'close'): void;
  (command: 'toggle'): void;
  (command: 'shutdown'): void;
  (command: 'show'): void;
  (command: 'hide'): void;
  (command: 'setLocale', locale: string): void;
  (command: 'setContext', context: HelpMenuContext | null): void;
  <E extends HelpMenuEvent>(command: 'on', event: E, listener: HelpMenuListener<E>): void;
  <E extends HelpMenuEvent>(command: 'once', event: E, listener: HelpMenuListener<E>): void;
  <E extends HelpMenuEvent>(command: 'off', event: E, listener: HelpMenuListener<E>): void;
  /** Calls queued by the stub before the loader arrived. */
  q?: IArguments[];
  /** Set by the loader once it has replaced the stub. */
  loaded?: boolean;
}

type HelpMenuDomEvents = {
  [E in HelpMenuEvent as `helpmenu:${E}`]: CustomEvent<HelpMenuEventMap[E]>;
};

declare global {
  interface Window {
    HelpMenu: HelpMenuApi;
  }
  // eslint-disable-next-line no-var
  var HelpMenu: HelpMenuApi;
  interface WindowEventMap extends HelpMenuDomEvents {}
}
