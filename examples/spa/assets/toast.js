// The app's own toasts: short notes in the corner, read out by screen readers (the container is a
// polite live region), gone after a while or when dismissed.
const region = document.getElementById('toasts');

export function toast({ title, text, action, timeout = 8000 }) {
  const item = document.createElement('div');
  item.className = 'toast';
  const body = document.createElement('div');
  const strong = document.createElement('strong');
  strong.textContent = title;
  body.append(strong);
  if (text) {
    const p = document.createElement('p');
    p.textContent = text;
    body.append(p);
  }
  item.append(body);
  if (action) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = action.label;
    button.addEventListener('click', () => {
      item.remove();
      action.run();
    });
    item.append(button);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'toast-close';
  close.setAttribute('aria-label', 'Закрити');
  close.textContent = '×';
  close.addEventListener('click', () => item.remove());
  item.append(close);
  region.append(item);
  if (timeout) setTimeout(() => item.remove(), timeout);
  return item;
}
