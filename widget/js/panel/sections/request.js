// New request (seed 004): topic, comment (subject), detailed message, importance and one file,
// stored with a number. The host may prefill and lock fields and add context:
// HelpMenu('open', 'request', {prefill: {topic, subject, message, importance}, lock: [...], context: {...}}).
// Each draft carries an Idempotency-Key, so a retried submit never files a second request.
import { button, h, icon } from '../dom.js';
import { field, filePicker, problem, progress, select } from '../tickets/common.js';

const FIELDS = ['topic', 'subject', 'message', 'importance', 'name', 'email'];

function suggestions(t, api, locale, go) {
  const list = h('ul', { class: 'sugg-list' });
  const box = h('div', { class: 'sugg', hidden: true, 'aria-live': 'polite' }, h('p', { class: 'small muted' }, t('request.suggest_title')), list);
  let timer = 0;
  let off = false;
  let asked = '';
  function lookup(text) {
    clearTimeout(timer);
    const q = text.trim();
    if (off || q.length < 3) {
      box.hidden = true;
      return;
    }
    timer = setTimeout(async () => {
      if (q === asked) return;
      asked = q;
      const result = await api.call(`/api/faq/suggest?${new URLSearchParams({ q, lang: locale, limit: '3' })}`);
      if (result.status === 404) off = true; // no FAQ on this server: stop asking
      const items = result.status === 200 && Array.isArray(result.body) ? result.body.slice(0, 3) : [];
      list.replaceChildren(...items.map((item) =>
        h('li', null, h('button', { type: 'button', class: 'sugg-item', onclick: () => go('faq', { article: item.id, via: 'suggest' }) },
          icon('faq'), h('span', null, h('strong', null, item.title), item.snippet && h('small', null, String(item.snippet).replace(/<[^>]*>/g, '')))))));
      box.hidden = !items.length;
    }, 350);
  }
  return { box, lookup };
}

function draftKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function render(ctx) {
  const { t, api, go, locale, options = {} } = ctx;
  const view = h('div', { class: 'stack' }, h('div', { class: 'loading', role: 'status' }, t('panel.loading')));
  api.get('/api/tickets/meta').then(
    (meta) => view.replaceChildren(form(ctx, meta, options)),
    () => view.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('request.load_failed'))),
  );
  return view;

  function form(c, meta, opts) {
    const prefill = opts.prefill || {};
    const lock = Array.isArray(opts.lock) ? opts.lock : [];
    const topicValue = (meta.topics.find((x) => String(x.id) === String(prefill.topic) || x.name === prefill.topic) || {}).id || '';
    const controls = {
      topic: select('topic', [['', t('request.topic_choose')], ...meta.topics.map((x) => [x.id, x.name])], topicValue),
      subject: h('input', { name: 'subject', maxlength: String(meta.limits.subject), autocomplete: 'off', value: prefill.subject || '' }),
      message: h('textarea', { name: 'message', rows: '5', maxlength: String(meta.limits.message) }),
      importance: select('importance', meta.importance.map((v) => [v, t(`request.importance.${v}`)]), prefill.importance || 'normal'),
      name: h('input', { name: 'name', autocomplete: 'name', maxlength: String(meta.limits.name) }),
      email: h('input', { name: 'email', type: 'email', autocomplete: 'email', maxlength: String(meta.limits.email) }),
    };
    controls.message.value = prefill.message || '';
    for (const name of lock) if (controls[name]) controls[name].disabled = true;
    const el = h('form', { class: 'card rq', novalidate: true });
    const files = filePicker(t, locale, el, meta.max_file);
    const bar = progress(t);
    const sugg = suggestions(t, api, locale, go);
    controls.subject.addEventListener('input', () => sugg.lookup(controls.subject.value));
    const fields = {
      topic: field(t('request.topic'), controls.topic),
      subject: field(t('request.subject'), controls.subject, t('request.subject_hint')),
      message: field(t('request.message'), controls.message),
      importance: field(t('request.importance'), controls.importance),
      name: field(t('request.name'), controls.name),
      email: field(t('request.email'), controls.email),
      file: h('div', { class: 'fld' }, h('span', { class: 'lbl' }, t('request.file')), files.zone),
    };
    const fileError = h('p', { class: 'ferr', hidden: true });
    fields.file.append(fileError);
    fields.file.setError = (text) => {
      fileError.textContent = text || '';
      fileError.hidden = !text;
    };
    const formError = h('p', { class: 'error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'btn' }, t('request.send'));
    let key = draftKey();
    files.zone.addEventListener('filechange', () => fields.file.setError(''));
    el.append(
      h('div', { class: 'rq-head' }, h('div', { class: 'badge' }, icon('request')), h('div', null, h('h2', { tabindex: '-1' }, t('request.title')), h('p', { class: 'muted' }, t('request.form_text')))),
      meta.contact_required ? h('div', { class: 'row2' }, fields.name, fields.email) : '',
      fields.topic, fields.subject, sugg.box, fields.message, fields.importance, fields.file, bar.el, formError, submit,
    );
    el.addEventListener('submit', async (event) => {
      event.preventDefault();
      for (const name of [...FIELDS, 'file']) fields[name].setError('');
      formError.hidden = true;
      const data = new FormData();
      for (const name of FIELDS) if (name !== 'name' && name !== 'email' || meta.contact_required) data.append(name, controls[name].value);
      data.append('context', JSON.stringify({ ...c.context, ...(opts.context || {}), user_agent: navigator.userAgent }));
      if (files.file()) data.append('file', files.file(), files.file().name);
      submit.disabled = true;
      bar.set(files.file() ? 0 : null);
      const result = await api.upload('/api/tickets', data, { 'Idempotency-Key': key }, files.file() && ((f) => bar.set(f)));
      submit.disabled = false;
      bar.set(null);
      if (result.status === 200 || result.status === 201) {
        key = draftKey();
        c.emit('request:created', { number: result.body.number });
        el.replaceWith(done(result.body.number));
        return;
      }
      const errors = (result.body && result.body.fields) || {};
      let first = null;
      for (const [name, info] of Object.entries(errors)) {
        const target = fields[name];
        if (!target) continue;
        target.setError(name === 'file' ? problem(t, result) : t(`request.error.${info.code}`));
        first = first || controls[name];
      }
      if (result.body && result.body.field === 'file') fields.file.setError(problem(t, result));
      else if (!Object.keys(errors).length || errors.context) {
        formError.textContent = problem(t, result);
        formError.hidden = false;
      }
      // The first wrong field in reading order, whatever order the server listed them in.
      if (first) (el.querySelector('[aria-invalid="true"]') || first).focus();
    });
    return el;
  }

  function done(number) {
    const card = h('section', { class: 'card done', role: 'status' },
      h('div', { class: 'ok' }, icon('check')),
      h('h2', { tabindex: '-1' }, t('request.sent_title')),
      h('p', { class: 'num' }, t('request.sent_number', { number })),
      h('p', { class: 'muted' }, t('request.sent_text')),
      h('div', { class: 'actions' },
        button(t('request.view'), () => go('history', { request: number })),
        button(t('request.another'), () => go('request', { fresh: true }), true)));
    setTimeout(() => card.querySelector('h2').focus());
    return card;
  }
}
