// Pieces the New request and Request history sections share: labelled fields whose errors sit
// beside them, the one-file picker (click, drag and drop, paste a screenshot), the upload
// progress bar, and status pills and dates in the widget's language.
import { h, icon } from '../dom.js';

let uid = 0;

/** A labelled control with a slot for its error; `control` gets the ids that tie them. */
export function field(label, control, hint) {
  uid += 1;
  const id = `hm-f${uid}`;
  const error = h('p', { class: 'ferr', id: `${id}-e`, hidden: true });
  control.id = id;
  const wrap = h('div', { class: 'fld' }, h('label', { for: id }, label), control, hint && h('p', { class: 'hint' }, hint), error);
  wrap.setError = (text) => {
    error.textContent = text || '';
    error.hidden = !text;
    if (text) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', error.id);
    } else {
      control.removeAttribute('aria-invalid');
      control.removeAttribute('aria-describedby');
    }
  };
  return wrap;
}

export function select(name, options, value) {
  return h('select', { name }, options.map(([v, label]) => h('option', { value: v, selected: String(v) === String(value) }, label)));
}

export function size(bytes, locale) {
  const units = bytes < 1024 * 1024 ? ['kilobyte', bytes / 1024] : ['megabyte', bytes / 1048576];
  return new Intl.NumberFormat(locale, { style: 'unit', unit: units[0], maximumFractionDigits: 1 }).format(units[1]);
}

export function date(locale, iso, withTime) {
  const options = withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' };
  return new Intl.DateTimeFormat(locale, options).format(new Date(iso));
}

export function pill(t, status) {
  return h('span', { class: `st st-${status}` }, t(`history.status.${status}`));
}

/**
 * The one-file zone: a picker button, a drop target, and a paste handler on `pasteTarget` that
 * takes an image from the clipboard (a screenshot). `file()` is the chosen file or null.
 */
export function filePicker(t, locale, pasteTarget, maxBytes) {
  let chosen = null;
  const input = h('input', { type: 'file', class: 'sr', tabindex: '-1', 'aria-hidden': 'true' });
  const name = h('span', { class: 'fname' });
  const remove = h('button', { type: 'button', class: 'link', hidden: true, onclick: () => set(null) }, t('request.file_remove'));
  const pick = h('button', { type: 'button', class: 'btn secondary small', onclick: () => input.click() }, icon('paperclip'), t('request.file_choose'));
  const zone = h('div', { class: 'drop' }, pick, h('span', { class: 'muted small' }, t('request.file_hint', { size: size(maxBytes, locale) })), name, remove, input);
  function set(file) {
    chosen = file;
    name.textContent = file ? `${file.name} · ${size(file.size, locale)}` : '';
    remove.hidden = !file;
    zone.classList.toggle('has', !!file);
    if (!file) input.value = '';
    zone.dispatchEvent(new CustomEvent('filechange'));
  }
  input.addEventListener('change', () => set(input.files[0] || null));
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer.files.length) set(e.dataTransfer.files[0]);
  });
  pasteTarget.addEventListener('paste', (e) => {
    const item = [...(e.clipboardData ? e.clipboardData.items : [])].find((i) => i.kind === 'file');
    const file = item && item.getAsFile();
    if (!file) return;
    e.preventDefault();
    const stamp = new Date().toISOString().slice(0, 19).replace(/[T:]/g, '-');
    const ext = (file.type.split('/')[1] || 'png').replace('jpeg', 'jpg');
    set(file.name && file.name !== 'image.png' ? file : new File([file], `screenshot-${stamp}.${ext}`, { type: file.type }));
  });
  return { zone, file: () => chosen, set };
}

export function progress(t) {
  const bar = h('progress', { max: '100', value: '0' });
  const label = h('span', { class: 'small muted' });
  const wrap = h('div', { class: 'prog', hidden: true, role: 'status' }, label, bar);
  return {
    el: wrap,
    set(fraction) {
      wrap.hidden = fraction == null;
      const pct = Math.round((fraction || 0) * 100);
      bar.value = pct;
      label.textContent = t('request.uploading', { percent: pct });
    },
  };
}

/** The server's message for a failed upload or submission, in the widget's words. */
export function problem(t, result) {
  const code = result.body && result.body.error;
  if (result.status === 0) return t('request.error_network');
  if (code === 'file_too_large') return t('request.error_file_large');
  if (code === 'type_not_allowed' || code === 'content_mismatch') return t('request.error_file_type');
  if (code === 'one_file_only') return t('request.error_one_file');
  return t('request.error_generic');
}
