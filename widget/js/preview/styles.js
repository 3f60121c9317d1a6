// The mock panel of the console's theme preview. It mirrors widget/css/panel.css: the same custom
// properties with the same defaults (tests/widget/test_theme_defaults.py keeps them in step), the
// same header, card, buttons and tab bar, so that a theme looks here as it does in the widget.
const DARK =
  '--bg:var(--hm-color-background,#161b26);--sf:var(--hm-color-surface,#0e121a);' +
  '--tx:var(--hm-color-text,#eef1f6);--mu:var(--hm-color-muted,#9aa4b5);' +
  '--bd:var(--hm-color-border,#2a3140);--pt:color-mix(in srgb,var(--p) 45%,#fff)';

export const PREVIEW_CSS = `
.f{width:min(380px,calc(100% - 2 * var(--hm-offset-x,20px)));height:min(590px,calc(100% - var(--hm-offset-y,20px) - 84px));animation:none}
[hidden]+.f{height:min(590px,calc(100% - 2 * var(--hm-offset-y,20px)))}
.app{--p:var(--hm-color-primary,#4f46e5);--op:var(--hm-color-on-primary,#fff);--bg:var(--hm-color-background,#fff);--sf:var(--hm-color-surface,#f5f6fa);--tx:var(--hm-color-text,#111827);--mu:var(--hm-color-muted,#5f6b7e);--bd:var(--hm-color-border,#e4e7ef);--r:var(--hm-radius,16px);--ff:var(--hm-font-family,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif);--ac:var(--hm-color-accent,var(--p));--tint:color-mix(in srgb,var(--ac) 11%,var(--bg));--pt:var(--p);
display:flex;flex-direction:column;height:100%;background:var(--sf);color:var(--tx);font:14px/1.45 var(--ff);-webkit-font-smoothing:antialiased}
:host([data-scheme=dark]) .app{${DARK}}
@media (prefers-color-scheme:dark){:host([data-scheme=auto]) .app{${DARK}}}
.app *{box-sizing:border-box}
.head{display:flex;align-items:center;gap:12px;padding:16px 12px 16px 18px;background:linear-gradient(135deg,var(--p),color-mix(in srgb,var(--p) 72%,#000));color:var(--op)}
.logo{display:grid;place-items:center;width:40px;height:40px;border-radius:12px;background:color-mix(in srgb,var(--op) 20%,transparent);font-weight:700;font-size:18px}
.who{min-width:0;flex:1}
.who strong{display:block;font-size:16px;font-weight:650;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.status{display:flex;align-items:center;gap:7px;margin-top:2px;font-size:12.5px;opacity:.9}
.dot{width:8px;height:8px;border-radius:50%;background:#4ade80;box-shadow:0 0 0 3px rgba(74,222,128,.28)}
.x{display:grid;place-items:center;width:38px;height:38px}
.main{flex:1;overflow:hidden;padding:16px}
.card{background:var(--bg);border-radius:var(--r);padding:20px;box-shadow:0 0 0 1px var(--bd),0 1px 3px rgba(16,24,40,.05)}
.badge{display:grid;place-items:center;width:46px;height:46px;margin-bottom:14px;border-radius:14px;background:var(--tint);color:var(--pt)}
.badge svg{width:24px;height:24px}
h2{margin:0 0 6px;font-size:19px;font-weight:700;letter-spacing:-.01em}
p{margin:0}
.muted{color:var(--mu);margin-top:4px}
.link{display:inline-block;margin-top:10px;color:var(--pt);text-decoration:underline;font-weight:600}
.actions{display:grid;gap:8px;margin-top:18px}
.btn{display:flex;align-items:center;justify-content:center;height:42px;border-radius:12px;background:var(--p);color:var(--op);font-weight:600}
.btn.secondary{background:transparent;color:var(--pt);box-shadow:inset 0 0 0 1.5px var(--bd)}
.tabs{display:flex;gap:2px;padding:6px;background:var(--bg);border-top:1px solid var(--bd)}
.tab{flex:1 1 0;min-width:0;display:flex;flex-direction:column;align-items:center;gap:3px;padding:7px 2px 6px;border-radius:10px;color:var(--mu);font-size:11.5px;font-weight:550;line-height:1.2}
.tab span{max-width:100%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.tab[aria-current]{color:var(--pt);background:var(--tint)}
.tab svg{width:22px;height:22px}
`;
