// Full screen on a phone the panel is a modal dialog (the loader says so in `layout`): Tab and
// Shift+Tab wrap around inside the panel instead of leaving for the host page hidden behind it.
const TABBABLE = 'a[href],button,input,select,textarea,[tabindex]';

function tabbables() {
  return [...document.querySelectorAll(TABBABLE)].filter(
    (el) => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0,
  );
}

/** Call on a Tab keydown while the panel is modal: wraps focus at either end of the panel. */
export function keepTabInside(event) {
  const items = tabbables();
  if (!items.length) return;
  const active = document.activeElement || document.body;
  const after = (el) => active.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING;
  const rest = event.shiftKey ? items.filter((el) => el !== active && !after(el)) : items.filter((el) => el !== active && after(el));
  // Nothing further in that direction: the browser would move focus out of the iframe.
  if (rest.length === 0) {
    event.preventDefault();
    (event.shiftKey ? items[items.length - 1] : items[0]).focus();
  }
}
