// The per-tab resume token of a chat in progress (never any text), in the panel's sessionStorage:
// following a link on the host site keeps the tab, so the next page's panel can rejoin the chat.
const KEY = 'helpmenu.chat';

export function savedChat() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || 'null');
  } catch {
    return null;
  }
}

export function remember(value) {
  try {
    if (value) sessionStorage.setItem(KEY, JSON.stringify(value));
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage may be blocked: the chat still works, it just cannot survive a page change
  }
}
