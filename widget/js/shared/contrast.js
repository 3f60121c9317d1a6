// Text keeps a WCAG contrast of at least 4.5:1 whatever colours a site or a host picks. These are
// pure functions (no DOM): the loader uses `textOn` for the launcher's label (small, as everything
// the loader carries), the panel and the console's live preview use `themeFixes` for every text
// colour. server/sites/theme.py mirrors
// them for the console's warnings on save, and tests/widget/test_contrast.py holds both to the
// same cases.

export const MIN_CONTRAST = 4.5;

// Browsers round what we return to whole channels; aiming a little higher keeps the rounded colour
// above the minimum.
const MARGIN = 0.05;

/**
 * `[r, g, b]` of a computed colour as `getComputedStyle` reports it, `rgb()` or `rgba()`; null
 * for any other form (oklch(), color()), which is then left as it is. Alpha is ignored.
 */
export function rgbOf(computed) {
  return /^rgba?\(/.test(computed) && computed.match(/[\d.]+/g).slice(0, 3).map(Number);
}

/**
 * `[r, g, b]` (0-255) of `#rgb`, `#rrggbb`, `rgb()`/`rgba()` or `color(srgb r g b)` (how browsers
 * report color-mix() results); null for anything else.
 */
export function parseColor(text) {
  const s = String(text || '').trim().toLowerCase();
  if (/^#([\da-f]{3}){1,2}$/.test(s)) {
    return (s.length < 5 ? s.replace(/\w/g, '$&$&') : s).slice(1).match(/../g).map((h) => parseInt(h, 16));
  }
  const n = s.startsWith('color(srgb ') && s.match(/[\d.]+/g);
  return rgbOf(s) || (n && n.length > 2 ? n.slice(0, 3).map((v) => v * 255) : null);
}

/** Relative luminance (WCAG 2) of `[r, g, b]`. */
export function luminance(rgb) {
  const [r, g, b] = rgb.map((v) => {
    const c = Math.min(Math.max(v, 0), 255) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two `[r, g, b]` colours, from 1 to 21. */
export function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/**
 * Text on a coloured control (the launcher): null when `text` reads on `back` (both `[r, g, b]`),
 * else black or white, whichever reads better (one of them always reaches 4.5:1).
 */
export function textOn(back, text) {
  if (!back || !text || contrast(text, back) >= MIN_CONTRAST) return null;
  return contrast([0, 0, 0], back) >= contrast([255, 255, 255], back) ? '#000000' : '#ffffff';
}

export function toHex(rgb) {
  return `#${rgb.map((v) => Math.round(Math.min(Math.max(v, 0), 255)).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * A colour for text `fg` that reads on every one of `backgrounds`: null when `fg` already does
 * (or a colour cannot be parsed), else `fg` darkened or lightened just enough, keeping its hue,
 * in whichever direction needs the smaller change; black or white when neither direction does.
 */
export function readable(fg, backgrounds, min = MIN_CONTRAST) {
  const color = parseColor(fg);
  const grounds = backgrounds.map(parseColor).filter(Boolean);
  if (!color || !grounds.length) return null;
  const worst = (c) => Math.min(...grounds.map((g) => contrast(c, g)));
  if (worst(color) >= min) return null;
  const goal = min + MARGIN;
  let best = null;
  for (const end of [[0, 0, 0], [255, 255, 255]]) {
    const at = (t) => color.map((v, i) => v + (end[i] - v) * t);
    if (worst(at(1)) < goal) continue;
    // `hi` always reads well, so whatever the search ends on does.
    let lo = 0;
    let hi = 1;
    for (let step = 0; step < 16; step += 1) {
      const mid = (lo + hi) / 2;
      if (worst(at(mid)) >= goal) hi = mid;
      else lo = mid;
    }
    if (!best || hi < best.t) best = { t: hi, rgb: at(hi) };
  }
  if (!best) {
    const black = worst([0, 0, 0]) >= worst([255, 255, 255]);
    return black ? '#000000' : '#ffffff';
  }
  return toHex(best.rgb);
}

/**
 * The panel's text colours that would read below 4.5:1, given its effective colours (any format
 * `parseColor` reads): `p` primary, `op` text on primary, `bg` cards, `sf` the panel's ground,
 * `tx` text, `mu` secondary text, `pt` primary used as text (links, the current tab). Each issue
 * names the custom property to override, the ratio it had, and the colour to show instead.
 */
export function themeIssues(colors) {
  const issues = [];
  const primary = parseColor(colors.p);
  // The header is a gradient from the primary to 28% darker; its text must read on both ends.
  const headerEnd = primary && toHex(primary.map((v) => v * 0.72));
  const pairs = {
    '--op': [colors.op, [colors.p, headerEnd]],
    '--tx': [colors.tx, [colors.bg, colors.sf]],
    '--mu': [colors.mu, [colors.bg, colors.sf]],
    '--pt': [colors.pt, [colors.bg, colors.sf]],
  };
  for (const [name, [fg, grounds]] of Object.entries(pairs)) {
    const shown = readable(fg, grounds.filter(Boolean));
    const text = parseColor(fg);
    if (!shown || !text) continue;
    const ratio = Math.min(...grounds.map(parseColor).filter(Boolean).map((g) => contrast(text, g)));
    issues.push({ name, ratio, shown });
  }
  return issues;
}

/** `{'--op': '#…', …}`: what the panel overrides so that all its text reads (see themeIssues). */
export function themeFixes(colors) {
  return Object.fromEntries(themeIssues(colors).map((issue) => [issue.name, issue.shown]));
}
