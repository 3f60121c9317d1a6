// Popups on the host page (seed 004): the request number and the start of support's answer, with
// Remind later, View and Delete. Loaded by the loader only when something is pending (its own
// small chunk). One popup at a time in the middle of the window, the rest queued; never closed on
// its own; announced through a polite live region so the host page keeps its focus.
const CSS = `
:host{all:initial;position:fixed;inset:0;z-index:var(--hm-z-index,2147483000);display:grid;place-items:center;pointer-events:none;font-family:var(--hm-font-family,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif)}
.c{pointer-events:auto;width:min(420px,calc(100vw - 32px));background:var(--hm-color-background,#fff);color:var(--hm-color-text,#111827);border-radius:var(--hm-radius,16px);box-shadow:0 24px 64px rgba(15,23,42,.3),0 0 0 1px rgba(15,23,42,.06);padding:22px 22px 18px;animation:i .2s ease-out}
.c[hidden]{display:none}
.h{display:flex;align-items:center;gap:10px;margin:0 0 4px;font-size:13px;font-weight:600;color:var(--hm-color-primary,#4f46e5)}
.q{margin-left:auto;color:var(--hm-color-muted,#5f6b7e);font-weight:500}
h2{margin:0 0 8px;font-size:17px;line-height:1.3;overflow-wrap:anywhere}
p{margin:0;font-size:14.5px;line-height:1.5;color:var(--hm-color-muted,#4b5563);overflow-wrap:anywhere;white-space:pre-line}
.b{display:flex;gap:8px;margin-top:18px;flex-wrap:wrap}
button{flex:1 1 auto;height:40px;padding:0 14px;border:0;border-radius:10px;font:600 14px/1 inherit;font-family:inherit;cursor:pointer;background:transparent;color:var(--hm-color-text,#111827);box-shadow:inset 0 0 0 1.5px var(--hm-color-border,#e4e7ef)}
button.v{background:var(--hm-color-primary,#4f46e5);color:var(--hm-color-on-primary,#fff);box-shadow:none}
button.d{color:#b91c1c}
button:focus-visible{outline:3px solid var(--hm-color-primary,#4f46e5);outline-offset:2px}
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
    destroy: () => host.remove(),
  };
}
