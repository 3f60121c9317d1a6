// The CSS of the panel's frame on the host page: the box that holds the iframe, its dark variant,
// its entrance and its full-screen layout. It travels in the frame chunk, not in the loader, since
// nothing of it shows before the user asks for help; the chunk adopts it into the launcher's shadow
// root as a constructable stylesheet, so a strict CSP (no 'unsafe-inline') still renders it.
// Phones, and desktops zoomed to 200% or more: the panel fills the window as a modal dialog (the
// chunk matches the same query to set aria-modal and have the panel keep Tab inside).
export const FULL_SCREEN = '(max-width:479px),(max-height:479px)';

const DARK = 'background:var(--hm-color-background,#111827);box-shadow:0 0 0 1px rgba(255,255,255,.1),0 18px 50px rgba(0,0,0,.5)';

export const FRAME_CSS = `
.f{position:fixed;bottom:calc(var(--hm-offset-y,20px) + 64px);right:var(--hm-offset-x,20px);width:380px;height:min(600px,calc(100vh - var(--hm-offset-y,20px) - 84px));border-radius:var(--hm-radius,16px);overflow:hidden;background:var(--hm-color-background,#fff);box-shadow:0 18px 50px rgba(15,23,42,.28),0 2px 8px rgba(15,23,42,.12);animation:hm-in .18s ease-out}
:host([data-position=left]) .f{right:auto;left:var(--hm-offset-x,20px)}
:host([data-scheme=dark]) .f{${DARK}}
@media (prefers-color-scheme:dark){:host([data-scheme=auto]) .f{${DARK}}}
[hidden]+.f{bottom:var(--hm-offset-y,20px)}
iframe{display:block;width:100%;height:100%;border:0}
@keyframes hm-in{from{opacity:0;transform:translateY(12px)}}
@media ${FULL_SCREEN}{.f,[hidden]+.f{inset:0;width:auto;height:auto;border-radius:0}}
@media (prefers-reduced-motion:reduce){.f{animation:none}}
`;

// The dialog that holds the iframe, placed after the launcher's button (`[hidden]+.f`: with the
// launcher hidden, the panel takes its corner).
export const FRAME_HTML = '<div class="f" role="dialog" hidden></div>';
