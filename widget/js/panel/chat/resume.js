// The per-tab resume token of a chat in progress (never any text). It lives in the panel's
// sessionStorage where the browser allows it, and always with the loader too, which keeps it in
// the host page's sessionStorage (a third-party iframe's storage is often blocked): following a
// link on the host site keeps the tab, so the next page's panel rejoins the chat.
const KEY = 'helpmenu.chat';
let fromLoader = null;
let tellLoader = () => {};

/** Wire the loader's copy: the token it handed over in init, and how to send it a new one. */
export function linkLoader(token, post) {
  fromLoader = token || null;
  tellLoader = post;
}

export function savedChat() {
  try {
    const own = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (own) return own;
  } catch {
    // blocked: use the loader's copy
  }
  return fromLoader ? { token: fromLoader } : null;
}

export function remember(value) {
  fromLoader = value ? value.token : null;
  tellLoader(fromLoader);
  try {
    if (value) sessionStorage.setItem(KEY, JSON.stringify(value));
    else sessionStorage.removeItem(KEY);
  } catch {
    // blocked: the loader keeps it
  }
}
