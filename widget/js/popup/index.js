// Popups on the host page (seed 004): the request number and the start of support's answer, with
// Remind later, View and Delete. Loaded by the loader only when something is pending (its own
// small chunk). One popup at a time in the middle of the window, the rest queued; never closed on
// its own; announced through a polite live region so the host page keeps its focus. It wears the
// launcher's theme: the tokens and the light/dark scheme are copied from <helpmenu-widget>.
import { THEME_TOKENS, tokenProperty } from '../shared/contract.js';

// The card's colours; in the dark scheme the primary and the red are lightened as text (4.5:1).
const DARK = '--bg:var(--hm-color-background,#161b26);--tx:var(--hm-color-text,#eef1f6);--mu:var(--hm-color-muted,#9aa4b5);--bd:var(--hm-color-border,#2a3140);--pt:color-mix(in srgb,var(--hm-color-primary,#4f46e5) 45%,#fff);--er:#fca5a5';
const CSS = `
:host{all:initial;position:fixed;inset:0;z-index:var(--hm-z-index,2147483000);display:grid;place-items:center;pointer-events:none;font-family:var(--hm-font-family,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif)}
.c{--bg:var(--hm-color-background,#fff);--tx:var(--hm-color-text,#111827);--mu:var(--hm-color-muted,#4b5563);--bd:var(--hm-color-border,#e4e7ef);--pt:var(--hm-color-primary,#4f46e5);--er:#b91c1c;pointer-events:auto;width:min(420px,calc(100vw - 32px));background:var(--bg);color:var(--tx);border-radius:var(--hm-radius,16px);box-shadow:0 24px 64px rgba(15,23,42,.3),0 0 0 1px rgba(15,23,42,.06);padding:22px 22px 18px;animation:i .2s ease-out}
.c[hidden]{display:none}
.h{display:flex;align-items:center;gap:10px;margin:0 0 4px;font-size:13px;font-weight:600;color:var(--pt)}
.q{margin-left:auto;color:var(--mu);font-weight:500}
h2{margin:0 0 8px;font-size:17px;line-height:1.3;overflow-wrap:anywhere}
p{margin:0;font-size:14.5px;line-height:1.5;color:var(--mu);overflow-wrap:anywhere;white-space:pre-line}
.b{display:flex;gap:8px;margin-top:18px;flex-wrap:wrap}
button{flex:1 1 auto;height:40px;padding:0 14px;border:0;border-radius:10px;font:600 14px/1 inherit;font-family:inherit;cursor:pointer;background:transparent;color:var(--tx);box-shadow:inset 0 0 0 1.5px var(--bd)}
button.v{background:var(--hm-color-primary,#4f46e5);color:var(--hm-color-on-primary,#fff);box-shadow:none}
button.d{color:var(--er)}
:host([data-scheme=dark]) .c{${DARK}}
@media (prefers-color-scheme:dark){:host([data-scheme=auto]) .c{${DARK}}}
button:focus-visible{outline:3px solid var(--pt);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
@keyframes i{from{opacity:0;transform:translateY(10px) scale(.98)}}
@media (prefers-reduced-motion:reduce){.c{animation:none}}
`;

export function mount({ strings, send, view, emit }) {
  const t = (key, vars) => (strings[key] || key).replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? vars[k] : m));
  const host = document.createElement('helpmenu-popup');
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  root.adoptedStyleSheets = [sheet];
  root.innerHTML =
    '<div class="sr" aria-live="polite" aria-atomic="true"></div>' +
    '<section class="c" role="region" hidden><div class="h"><span class="n"></span><span class="q"></span></div>' +
    '<h2></h2><p></p><div class="b"><button type="button" class="l"></button>' +
    '<button type="button" class="v"></button><button type="button" class="d"></button></div></section>';
  const $ = (s) => root.querySelector(s);
  const widget = document.querySelector('helpmenu-widget');
  function follow() {
    if (!widget) return;
    const style = getComputedStyle(widget);
    for (const name of THEME_TOKENS) {
      const value = style.getPropertyValue(tokenProperty(name)).trim();
      if (value) host.style.setProperty(tokenProperty(name), value);
      else host.style.removeProperty(tokenProperty(name));
    }
    host.dataset.scheme = widget.dataset.scheme || 'light';
  }
  // A boot with another theme restyles the launcher (its style and data-scheme): follow it.
  const watch = new MutationObserver(follow);
  if (widget) watch.observe(widget, { attributes: true });
  follow();
  const card = $('.c');
  const live = $('.sr');
  $('.l').textContent = t('popup.later');
  $('.v').textContent = t('popup.view');
  $('.d').textContent = t('popup.delete');
  document.body.appendChild(host);
  let items = [];
  let shown = null;
  const gone = new Set(); // acted on here; hidden until the server's next state agrees

  function act(type) {
    const item = items[0];
    if (!item) return;
    gone.add(item.id);
    send({ type, id: item.id });
    if (type === 'read') view(item.number);
    draw();
  }
  $('.l').onclick = () => act('snooze');
  $('.v').onclick = () => act('read');
  $('.d').onclick = () => act('dismiss');

  function draw() {
    items = items.filter((i) => !gone.has(i.id));
    const item = items[0];
    card.hidden = !item;
    if (!item) {
      shown = null;
      return;
    }
    card.setAttribute('aria-label', t('popup.label'));
    $('.n').textContent = t(item.support ? 'popup.message' : item.kind === 'status' ? 'popup.status' : 'popup.reply', { number: item.number });
    $('.q').textContent = items.length > 1 ? t('popup.queue', { count: items.length - 1 }) : '';
    $('h2').textContent = item.subject;
    $('p').textContent = item.kind === 'status' ? t('popup.status_text', { status: t(`popup.st.${item.preview}`) }) : item.preview;
    if (shown !== item.id) {
      shown = item.id;
      live.textContent = `${$('.n').textContent}. ${item.subject}. ${$('p').textContent}`;
      emit('notification:shown', { number: item.number, kind: item.kind });
    }
  }

  return {
    update(next) {
      const ids = new Set(next.map((i) => i.id));
      for (const id of gone) if (!ids.has(id)) gone.delete(id);
      items = next;
      draw();
    },
    destroy() {
      watch.disconnect();
      host.remove();
    },
  };
}
