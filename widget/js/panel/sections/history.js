// Request history (seed 004): every request of the account, support's answers and its own
// messages. A table (#, number, topic, status, last update, view) with date, topic and status
// filters and paging; the detail shows the thread (never internal notes), takes a reply with one
// file, and a rating once the request is resolved. HelpMenu('open', 'history', {request: N}).
import { button, h, icon } from '../dom.js';
import { dateRange } from '../tickets/calendar.js';
import { date, field, filePicker, pill, problem, progress, select, size } from '../tickets/common.js';

const PER_PAGE = 10;

export function render(ctx) {
  const { t, api, locale, go, options = {} } = ctx;
  const root = h('div', { class: 'stack hist' });
  const state = { page: 1, status: '', topic: '', from: '', to: '' };
  let topics = [];
  api.get('/api/tickets/meta').then((meta) => (topics = meta.topics), () => {});
  if (options.request) detail(Number(options.request));
  else list();
  return root;

  function heading(text) {
    return h('h2', { tabindex: '-1' }, text);
  }

  async function list() {
    const query = new URLSearchParams({ page: String(state.page), per_page: String(PER_PAGE) });
    for (const k of ['status', 'topic', 'from', 'to']) if (state[k]) query.set(k, state[k]);
    root.replaceChildren(h('div', { class: 'loading', role: 'status' }, t('panel.loading')));
    const result = await api.call(`/api/tickets?${query}`);
    if (result.status !== 200) {
      root.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('history.load_failed')));
      return;
    }
    const { items, total } = result.body;
    const filtered = ['status', 'topic', 'from', 'to'].some((k) => state[k]);
    const pages = Math.max(1, Math.ceil(total / PER_PAGE));
    root.replaceChildren(
      h('section', { class: 'card' },
        h('div', { class: 'split' }, heading(t('history.title')), button(t('history.new_request'), () => go('request'), true)),
        filters(),
        items.length ? table(items) : h('div', { class: 'empty' }, icon('history'), h('h3', null, t(filtered ? 'history.none_found' : 'history.empty_title')), h('p', null, t(filtered ? 'history.none_found_text' : 'history.empty_text'))),
        pages > 1 && h('nav', { class: 'pager', 'aria-label': t('history.pages') },
          h('button', { type: 'button', class: 'link', disabled: state.page <= 1, onclick: () => { state.page -= 1; list(); } }, t('history.prev')),
          h('span', { class: 'muted small' }, t('history.page_of', { page: state.page, pages })),
          h('button', { type: 'button', class: 'link', disabled: state.page >= pages, onclick: () => { state.page += 1; list(); } }, t('history.next'))),
      ),
    );
  }

  function filters() {
    const apply = (key) => (e) => {
      state[key] = e.target.value;
      state.page = 1;
      list();
    };
    const dates = dateRange(t, locale, state.from, state.to, (from, to) => {
      Object.assign(state, { from, to, page: 1 });
      list();
    });
    const status = select('status', [['', t('history.any_status')], ...['new', 'open', 'waiting', 'resolved', 'closed'].map((s) => [s, t(`history.status.${s}`)])], state.status);
    const topic = select('topic', [['', t('history.any_topic')], ...topics.map((x) => [x.id, x.name])], state.topic);
    status.addEventListener('change', apply('status'));
    topic.addEventListener('change', apply('topic'));
    return h('div', { class: 'filters' }, h('div', { class: 'fld wide' }, h('span', { class: 'lbl' }, t('history.date')), dates), field(t('history.topic'), topic), field(t('history.status'), status));
  }

  function table(items) {
    return h('table', { class: 'tbl' },
      h('caption', { class: 'sr' }, t('history.title')),
      h('thead', null, h('tr', null, [t('history.number'), t('history.topic'), t('history.status'), t('history.updated'), h('span', { class: 'sr' }, t('history.view'))].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, items.map((item) => h('tr', { class: item.unread ? 'unread' : null },
        h('td', { class: 'num' }, item.unread ? h('span', { class: 'dot-new', title: t('history.unread') }, h('span', { class: 'sr' }, t('history.unread'))) : null, String(item.number)),
        // The subject tells two requests of one topic apart; the topic stays under it.
        h('td', null, item.subject ? h('span', { class: 'subj' }, item.subject) : null, h('span', { class: item.subject ? 'muted small' : null }, item.topic)),
        h('td', null, pill(t, item.status)),
        h('td', { class: 'muted small' }, new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }).format(new Date(item.updated_at))),
        h('td', null, h('button', { type: 'button', class: 'go', title: t('history.view'), 'aria-label': t('history.view_number', { number: item.number }), onclick: () => detail(item.number) }, icon('arrow')))))));
  }

  async function detail(number) {
    root.replaceChildren(h('div', { class: 'loading', role: 'status' }, t('panel.loading')));
    const result = await api.call(`/api/tickets/${number}`);
    if (result.status !== 200) {
      root.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('history.not_found')), button(t('history.back'), () => list(), true));
      return;
    }
    const r = result.body;
    const back = h('button', { type: 'button', class: 'link back', onclick: () => list() }, t('history.back'));
    root.replaceChildren(...[
      back,
      h('section', { class: 'card' },
        h('p', { class: 'muted small' }, t('history.number_topic', { number: r.number, topic: r.topic })),
        heading(r.subject),
        h('div', { class: 'meta' }, pill(t, r.status), h('span', { class: 'muted small' }, t('history.updated_at', { when: date(locale, r.updated_at, true) })))),
      h('ol', { class: 'thread' }, r.thread.map((m) => entry(m))),
      (r.status === 'resolved' || r.status === 'closed') && !r.rating ? rating(r) : null,
      r.rating ? h('p', { class: 'muted small rated' }, t('history.rated', { score: r.rating })) : null,
      reply(r),
    ].filter(Boolean));
    root.querySelector('h2').focus();
  }

  function entry(m) {
    if (m.kind === 'status') {
      return h('li', { class: 'ev' }, icon('clock'), h('span', null, t('history.status_changed', { status: t(`history.status.${m.status}`) })), h('time', { class: 'muted small' }, date(locale, m.at, true)));
    }
    if (m.kind === 'rating') return h('li', { class: 'ev' }, icon('check'), h('span', null, t('history.rated', { score: m.status })));
    const mine = m.kind === 'customer';
    return h('li', { class: mine ? 'msg mine' : 'msg' },
      h('p', { class: 'who small' }, h('strong', null, mine ? t('history.you') : m.author || t('history.support')), h('time', { class: 'muted' }, date(locale, m.at, true))),
      m.body && h('p', { class: 'body' }, m.body),
      m.file && h('a', { class: 'file', href: m.file.url, download: m.file.name, rel: 'noopener' }, icon('paperclip'), h('span', null, m.file.name), h('small', null, size(m.file.size, locale))));
  }

  function reply(r) {
    const text = h('textarea', { name: 'body', rows: '3', maxlength: '10000' });
    const form = h('form', { class: 'card rq', novalidate: true });
    const files = filePicker(t, locale, form, 20 * 1024 * 1024);
    const bar = progress(t);
    const f = field(t('history.reply'), text);
    const err = h('p', { class: 'ferr', hidden: true });
    const send = h('button', { type: 'submit', class: 'btn' }, t('history.send'));
    form.append(f, files.zone, err, bar.el, send);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      f.setError('');
      err.hidden = true;
      const data = new FormData();
      data.append('body', text.value);
      if (files.file()) data.append('file', files.file(), files.file().name);
      send.disabled = true;
      const result = await api.upload(`/api/tickets/${r.number}/messages`, data, {}, files.file() && ((x) => bar.set(x)));
      send.disabled = false;
      bar.set(null);
      if (result.status === 201) return detail(r.number);
      const fields = (result.body && result.body.fields) || {};
      if (fields.body) f.setError(t(`request.error.${fields.body.code}`));
      else {
        err.textContent = problem(t, result);
        err.hidden = false;
      }
    });
    return form;
  }

  function rating(r) {
    let score = 0;
    const stars = [1, 2, 3, 4, 5].map((n) => h('button', { type: 'button', class: 'star', 'aria-pressed': 'false', 'aria-label': t('history.stars', { score: n }), onclick: () => pick(n) }, '★'));
    const comment = h('textarea', { rows: '2', maxlength: '2000' });
    const send = h('button', { type: 'submit', class: 'btn', disabled: true }, t('history.rate_send'));
    function pick(n) {
      score = n;
      stars.forEach((s, i) => s.setAttribute('aria-pressed', String(i < n)));
      send.disabled = false;
    }
    const form = h('form', { class: 'card rate' }, h('h3', null, t('history.rate_title')), h('div', { class: 'stars', role: 'group', 'aria-label': t('history.rate_title') }, stars), field(t('history.rate_comment'), comment), send);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const result = await api.post(`/api/tickets/${r.number}/rating`, { score, comment: comment.value });
      if (result.status === 200) detail(r.number);
    });
    return form;
  }
}
