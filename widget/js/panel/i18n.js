// Translation: every visible string comes from widget/locales/<lang>.json (flat keys). A value is
// a text with {name} placeholders filled from `vars`, or, for a counted thing, an object of CLDR
// plural forms ({one, few, many, other}: what the language needs) chosen by Intl.PluralRules for
// vars.count (or vars.n). Translated text is never concatenated.
//
// The language can change while the panel is open (HelpMenu('setLocale')). Sections keep the `t`
// they were given, so `t` stays one function that always speaks the current language, and it
// remembers which key and values produced each text it returned: text already on screen is then
// retranslated in place, and nothing the user typed, nor a chat going on, is re-rendered away.

// What never gets retranslated even if it happens to read like one of our strings: what people
// wrote (a textarea's text, chat lines, request messages) and server content (articles, search
// hits). Labels, placeholders and options around them are ours and are retranslated.
const KEEP = 'textarea, [translate="no"], .chat-text, .chat-author, .faq-content, .faq-rtitle, .faq-snippet, .msg .body';
const ATTRIBUTES = ['aria-label', 'title', 'placeholder', 'alt', 'aria-description'];
const MEMORY = 3000; // texts remembered; waiting timers make a new one each second

// Right-to-left scripts; the server marks its RTL locales in the config, this is the fallback.
const RTL = /^(ar|he|iw|fa|ur|ps|yi|dv|ckb|sd|ug)(-|$)/i;

export function direction(locale, rtl) {
  return (rtl ? rtl.includes(locale) : false) || RTL.test(locale) ? 'rtl' : 'ltr';
}

export async function loadStrings(config, locale = config.locale) {
  const url = config.locales[locale] || config.locales.en;
  try {
    const response = await fetch(url, { credentials: 'omit' });
    if (response.ok) return await response.json();
  } catch {
    // fall through: a panel showing its keys beats a blank iframe
  }
  return {};
}

function fill(text, vars) {
  return vars ? text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? vars[name] : m)) : text;
}

/** The panel's translator: `t(key, vars)`, and `use(locale, strings)` to change language. */
export function createI18n(locale, strings) {
  let rules = new Intl.PluralRules(locale);
  let made = new Map(); // text shown -> [key, vars] that produced it

  function t(key, vars) {
    let text = strings[key] ?? key;
    if (typeof text === 'object') {
      const count = Number(vars && (vars.count ?? vars.n));
      text = text[rules.select(count)] ?? text.other ?? key;
    }
    text = fill(text, vars);
    made.delete(text);
    made.set(text, [key, vars]);
    if (made.size > MEMORY) made.delete(made.keys().next().value);
    return text;
  }

  /** Switch language; returns a function from a text of the old language to the new one, or null. */
  function use(nextLocale, nextStrings) {
    const old = made;
    locale = nextLocale;
    strings = nextStrings;
    rules = new Intl.PluralRules(locale);
    made = new Map();
    const again = (text) => {
      const entry = typeof text === 'string' && old.get(text);
      if (!entry) return null;
      const [key, vars] = entry;
      // A value may itself be a translation ("waiting {time}" with time = "2 minutes").
      const values = vars && Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, again(v) ?? v]));
      return t(key, values);
    };
    return again;
  }

  return { t, use, locale: () => locale };
}

/** Retranslate, in place, the text nodes and labelling attributes under `root`. */
export function retranslate(root, again) {
  for (const node of root.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = again(node.data);
      if (text != null) node.data = text;
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      for (const name of ATTRIBUTES) {
        const text = node.hasAttribute(name) && again(node.getAttribute(name));
        if (text) node.setAttribute(name, text);
      }
      if (!node.matches(KEEP)) retranslate(node, again);
    }
  }
}
