// The launcher's CSS. It is adopted as a constructable stylesheet so that a host page whose CSP
// forbids inline styles (no 'unsafe-inline' in style-src) still renders us: neither <style>
// elements nor style attributes are used anywhere in the loader. Every colour reads a --hm-* token
// with our default as the fallback, so the host can theme us from its own CSS or from boot().
// The panel's frame has its own sheet in the frame chunk (../frame/styles.js), fetched only when
// the user shows interest in the launcher: none of it is needed before.
export const LAUNCHER_CSS = `
:host{all:initial;position:fixed;z-index:var(--hm-z-index,2147483000);bottom:var(--hm-offset-y,20px);right:var(--hm-offset-x,20px);font-family:var(--hm-font-family,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif)}
:host([data-position=left]){right:auto;left:var(--hm-offset-x,20px)}
button{display:flex;align-items:center;gap:8px;height:48px;padding:0 20px 0 14px;border:0;border-radius:24px;background:var(--hm-color-primary,#4f46e5);color:var(--hm-color-on-primary,#fff);font:600 15px/1 var(--hm-font-family,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);letter-spacing:.01em;cursor:pointer;box-shadow:0 6px 20px rgba(15,23,42,.22),0 1px 3px rgba(15,23,42,.2);transition:transform .16s ease,box-shadow .16s ease}
button:hover{transform:translateY(-2px);box-shadow:0 10px 26px rgba(15,23,42,.26),0 2px 4px rgba(15,23,42,.2)}
button:active{transform:none}
button:focus-visible{outline:3px solid var(--hm-color-primary,#4f46e5);outline-offset:3px}
svg{width:22px;height:22px;flex:none;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
[aria-expanded=true] .o,[aria-expanded=false] .x{display:none}
[hidden]{display:none}
:host([data-launcher=icon]) button{width:48px;padding:0;justify-content:center;position:relative}
:host([data-launcher=icon]) span{position:absolute;clip-path:inset(50%)}
:host([data-launcher=icon]) b{position:absolute;top:-4px;right:-4px}
b{min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#dc2626;color:#fff;font:700 12px/20px inherit;text-align:center;box-sizing:border-box}
@media (prefers-reduced-motion:reduce){button{transition:none}}
`;

// Lucide-style strokes: a speech bubble with a question mark, and a chevron shown while open.
export const LAUNCHER_HTML =
  '<button type="button" aria-haspopup="dialog" aria-expanded="false">' +
  '<svg class="o" viewBox="0 0 24 24" aria-hidden="true"><path d="M21 11.5a8.4 8.4 0 0 1-12.3 7.4L3 21l2.1-5.6A8.4 8.4 0 1 1 21 11.5z"/><path d="M9.7 9a2.4 2.4 0 0 1 4.6.8c0 1.6-2.3 2.2-2.3 2.2M12 15.5h.01"/></svg>' +
  '<svg class="x" viewBox="0 0 24 24" aria-hidden="true"><path d="m6 9 6 6 6-6"/></svg>' +
  '<span></span></button>';
