// The chat section's styles, adopted as a constructed stylesheet when the section first renders,
// so they travel in this lazy chunk instead of the panel's base CSS (CSP: no inline <style>).
const CSS = `
.chat [hidden]{display:none!important}
.chat .field{display:flex;flex-direction:column;gap:5px;margin-top:12px}
.chat label{font-weight:600;font-size:13px}
.chat input,.chat textarea{font:inherit;color:var(--tx);background:var(--bg);border:1px solid var(--bd);border-radius:10px;padding:9px 11px;width:100%;resize:vertical}
.chat input:focus,.chat textarea:focus{outline:2px solid var(--p);outline-offset:0;border-color:transparent}
.chat [aria-invalid=true]{border-color:#dc2626}
.chat .field-error{margin:0;color:var(--err);font-size:12.5px}
.chat .availability.off::before{background:#f59e0b}
.chat-live{display:flex;flex-direction:column;gap:10px;padding:16px}
.chat-head{display:flex;gap:12px;align-items:center}
.chat-head .badge{display:grid;place-items:center;width:40px;height:40px;border-radius:12px;background:var(--tint);color:var(--pt)}
.chat-head h2{font-size:16px;margin:0}
.chat-sub{margin:2px 0 0;font-size:13px}
.chat-banner{margin:0;padding:8px 12px;border-radius:10px;background:color-mix(in srgb,#f59e0b 16%,var(--bg));font-size:13px;display:flex;gap:8px;align-items:center}
.chat-banner::before{content:"";width:12px;height:12px;border-radius:50%;border:2px solid #d97706;border-right-color:transparent;animation:hm-spin 1s linear infinite}
@keyframes hm-spin{to{transform:rotate(360deg)}}
.chat-notice{display:flex;gap:8px;margin:0;font-size:12px;color:var(--mu)}
.chat-notice svg{width:16px;height:16px}
.chat-log{display:flex;flex-direction:column;gap:8px;min-height:180px;max-height:46vh;overflow-y:auto;padding:10px;border-radius:12px;background:var(--sf)}
.chat-line{display:flex;flex-direction:column;max-width:82%;gap:2px}
.chat-line.visitor{align-self:flex-end;align-items:flex-end}
.chat-line.agent{align-self:flex-start}
.chat-author{font-size:11.5px;color:var(--mu);padding-inline-start:4px}
.chat-text{margin:0;padding:8px 12px;border-radius:16px;white-space:pre-wrap;overflow-wrap:anywhere}
.chat-line.visitor .chat-text{background:var(--p);color:var(--op);border-end-end-radius:5px}
.chat-line.agent .chat-text{background:var(--bg);box-shadow:0 0 0 1px var(--bd);border-end-start-radius:5px}
.chat-line.pending{opacity:.6}
.chat-typing{margin:0;min-height:18px;font-size:12.5px;color:var(--mu);font-style:italic}
.chat-composer{display:flex;gap:8px;align-items:flex-end}
.chat-composer textarea{min-height:42px;max-height:120px}
.chat-send{display:grid;place-items:center;width:42px;height:42px;flex:none;border:0;border-radius:12px;background:var(--p);color:var(--op)}
.chat-send:disabled{opacity:.45;cursor:default}
.chat-foot{display:flex;justify-content:flex-end;gap:8px}
.chat-saved{margin:0;padding:8px 12px;border-radius:10px;font-size:13px;background:color-mix(in srgb,var(--ok) 12%,var(--bg))}
.chat-foot .btn{width:auto;height:34px;font-size:13px}
@media (prefers-reduced-motion:reduce){.chat-banner::before{animation:none}}
`;

let adopted = false;

export function adoptStyles() {
  if (adopted) return;
  adopted = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
