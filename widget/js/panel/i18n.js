// Translation: every visible string comes from widget/locales/<lang>.json (flat keys). Values may
// hold {name} placeholders, filled from `vars`; translated text is never concatenated.

export async function loadStrings(config) {
  const url = config.locales[config.locale] || config.locales.en;
  try {
    const response = await fetch(url, { credentials: 'omit' });
    if (response.ok) return await response.json();
  } catch {
    // fall through: a panel showing its keys beats a blank iframe
  }
  return {};
}

export function translator(strings) {
  return function t(key, vars) {
    const text = strings[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? vars[name] : m)) : text;
  };
}
