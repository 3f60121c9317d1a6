// FAQ: the knowledge base (seed 004: thematic sections, articles, keyword search; seed 002: "Was
// this article helpful?"). Results come as you type (debounced); a search the user settled on
// (Enter, a pause, leaving the box) is sent once more with final=1 so the server can count
// searches that found nothing. Snippets arrive as [text, highlighted] segments and are drawn as
// text nodes; only the article body is HTML, sanitised on the server and re-checked here.
// The host opens an article or a search with HelpMenu('open', 'faq', {article: ID} | {query}).
import { button, h, icon } from '../dom.js';
import { articleBody } from '../faq/body.js';

const DEBOUNCE = 180;
const SETTLE = 1500;

function marked(segments) {
  return (segments || []).map(([text, on]) => (on ? h('mark', null, text) : text));
}

export function render({ t, api, locale, go, options }) {
  const q = (params) => new URLSearchParams({ lang: locale, ...params });
  const listId = 'hm-faq-results';
  const input = h('input', {
    type: 'search', class: 'faq-input', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
    'aria-controls': listId, 'aria-label': t('faq.search_label'), placeholder: t('faq.search_placeholder'),
    autocomplete: 'off', spellcheck: 'false', enterkeyhint: 'search', maxlength: '200',
  });
  const heading = h('h2', { tabindex: '-1', class: 'sr' }, t('faq.title'));
  const status = h('p', { class: 'sr', role: 'status', 'aria-live': 'polite' });
  const results = h('ul', { class: 'faq-results', id: listId, role: 'listbox', 'aria-label': t('faq.results') });
  const body = h('div', { class: 'faq-body' });
  const home = h('div', { class: 'stack faq' },
    heading,
    h('label', { class: 'faq-search' }, icon('search'), input),
    status,
    body);
  const reader = h('div', { class: 'stack faq', hidden: true });
  const root = h('div', null, home, reader);

  let seq = 0;
  let timer = 0;
  let settle = 0;
  let last = { text: '', count: -1, settled: false };
  let active = -1;
  let browse = null;

  function options_() {
    return [...results.querySelectorAll('[role="option"]')];
  }
  function setActive(index) {
    const items = options_();
    active = items.length ? (index + items.length) % items.length : -1;
    items.forEach((el, i) => el.setAttribute('aria-selected', String(i === active)));
    if (active >= 0) {
      input.setAttribute('aria-activedescendant', items[active].id);
      items[active].scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  }

  function stillNeedHelp(text) {
    return h('div', { class: 'card faq-help' },
      h('p', null, h('strong', null, t('faq.still_need'))),
      h('p', { class: 'muted small' }, t('faq.still_need_text')),
      h('div', { class: 'actions' },
        button(t('faq.ask_chat'), () => go('chat')),
        button(t('faq.new_request'), () => go('request', text ? { prefill: { subject: text } } : undefined), true)));
  }

  async function showBrowse() {
    results.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
    if (browse) {
      body.replaceChildren(browse);
      return;
    }
    body.replaceChildren(h('div', { class: 'loading', role: 'status' }, t('panel.loading')));
    try {
      const data = await api.get(`/api/faq/categories?${q({})}`);
      const sections = [...data.categories, { name: t('faq.other'), articles: data.uncategorized }]
        .filter((c) => c.articles.length);
      browse = sections.length
        ? h('div', { class: 'stack' }, sections.map((c) => h('section', { class: 'faq-cat' },
            h('h3', null, c.name),
            h('ul', { class: 'list' }, c.articles.map((a) => h('li', null,
              h('a', { href: '#', class: 'row faq-link', onclick: (e) => { e.preventDefault(); openArticle(a.id); } },
                h('span', { class: 'grow' }, h('strong', null, a.title)), icon('arrow', 'chev'))))))),
            stillNeedHelp(''))
        : h('div', { class: 'stack' }, h('div', { class: 'card empty' }, icon('faq'), h('h3', null, t('faq.empty'))), stillNeedHelp(''));
      if (!input.value.trim()) body.replaceChildren(browse);
    } catch {
      body.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('faq.load_failed')));
    }
  }

  async function runSearch(text, final) {
    const mine = ++seq;
    let data;
    try {
      data = await api.get(`/api/faq/search?${q(final ? { q: text, final: '1' } : { q: text })}`);
    } catch {
      if (mine === seq) body.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('faq.load_failed')));
      return;
    }
    if (mine !== seq || final) return;
    last = { text, count: data.results.length, settled: false };
    active = -1;
    input.removeAttribute('aria-activedescendant');
    results.replaceChildren(...data.results.map((r, i) => h('li', {
      id: `hm-faq-r${i}`, role: 'option', 'aria-selected': 'false', class: 'faq-result', 'data-id': r.id,
      onclick: () => openArticle(r.id), onmousemove: () => active !== i && setActive(i),
    },
    h('span', { class: 'faq-rtitle' }, marked(r.title_highlight), r.lang !== locale && h('span', { class: 'faq-lang' }, r.lang.toUpperCase())),
    r.snippet.length > 0 && h('span', { class: 'faq-snippet' }, marked(r.snippet)))));
    input.setAttribute('aria-expanded', String(data.results.length > 0));
    status.textContent = data.results.length ? t('faq.found', { count: data.results.length }) : t('faq.nothing', { query: text });
    body.replaceChildren(data.results.length
      ? results
      : h('div', { class: 'stack' }, h('div', { class: 'card empty faq-none' }, icon('search'),
          h('h3', null, t('faq.nothing', { query: text })), h('p', null, t('faq.nothing_hint'))), stillNeedHelp(text)));
  }

  // The user stopped typing, pressed Enter or left the box: tell the server once, and only when
  // the search found nothing (that is all it records).
  function settleNow() {
    clearTimeout(settle);
    const text = input.value.trim();
    if (!text || last.settled || last.text !== text || last.count !== 0) return;
    last.settled = true;
    runSearch(text, true);
  }

  function onInput() {
    clearTimeout(timer);
    clearTimeout(settle);
    const text = input.value.trim();
    if (!text) {
      seq++;
      last = { text: '', count: -1, settled: false };
      status.textContent = '';
      showBrowse();
      return;
    }
    timer = setTimeout(() => runSearch(text, false).then(() => {
      settle = setTimeout(settleNow, SETTLE);
    }), DEBOUNCE);
  }

  input.addEventListener('input', onInput);
  input.addEventListener('blur', settleNow);
  input.addEventListener('keydown', (event) => {
    const count = options_().length;
    if (event.key === 'ArrowDown' && count) {
      event.preventDefault();
      setActive(active + 1);
    } else if (event.key === 'ArrowUp' && count) {
      event.preventDefault();
      setActive(active - 1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = options_()[active];
      if (chosen) openArticle(Number(chosen.dataset.id));
      else settleNow();
    } else if (event.key === 'Escape' && input.value) {
      event.preventDefault(); // clears the search (the combobox pattern); the next Esc closes
      input.value = '';
      onInput();
    }
  });

  async function openArticle(id, via) {
    settleNow();
    home.hidden = true;
    reader.hidden = false;
    reader.replaceChildren(h('div', { class: 'loading', role: 'status' }, t('panel.loading')));
    const back = h('button', { type: 'button', class: 'faq-back', onclick: closeArticle }, icon('arrow', 'back'), h('span', null, t('faq.back')));
    let article;
    try {
      article = await api.get(`/api/faq/articles/${encodeURIComponent(id)}?${q(via ? { via } : {})}`);
    } catch {
      reader.replaceChildren(back, h('p', { class: 'error', role: 'alert' }, t('faq.article_missing')));
      back.focus();
      return;
    }
    const title = h('h2', { tabindex: '-1' }, article.title);
    reader.replaceChildren(
      back,
      h('article', { class: 'card faq-article', lang: article.lang },
        article.category && h('p', { class: 'faq-crumb' }, article.category.name),
        title,
        h('p', { class: 'muted small' }, t('faq.updated', { date: new Date(article.updated_at).toLocaleDateString(locale, { dateStyle: 'medium' }) })),
        articleBody(article.html)),
      helpful(article),
    );
    title.focus();
    const main = reader.closest('.main');
    if (main) main.scrollTop = 0;
  }

  function helpful(article) {
    const box = h('div', { class: 'card faq-vote' });
    const draw = (vote, justVoted) => {
      const yes = h('button', { type: 'button', class: 'chip', 'aria-pressed': String(vote === true), onclick: () => cast(true) }, t('faq.yes'));
      const no = h('button', { type: 'button', class: 'chip', 'aria-pressed': String(vote === false), onclick: () => cast(false) }, t('faq.no'));
      box.replaceChildren(
        h('div', { class: 'split' }, h('p', null, h('strong', null, t('faq.helpful'))), h('div', { class: 'chips', role: 'group', 'aria-label': t('faq.helpful') }, yes, no)),
        justVoted && h('p', { class: 'muted small', role: 'status' }, vote ? t('faq.thanks') : t('faq.sorry')),
        vote === false && h('div', { class: 'actions' },
          button(t('faq.ask_chat'), () => go('chat')),
          button(t('faq.new_request'), () => go('request', { prefill: { subject: article.title } }), true)),
      );
    };
    async function cast(value) {
      const result = await api.post(`/api/faq/articles/${article.id}/vote`, { helpful: value });
      if (result.status === 200) {
        draw(value, true);
      }
    }
    draw(article.vote, false);
    return box;
  }

  function closeArticle() {
    reader.hidden = true;
    reader.replaceChildren();
    home.hidden = false;
    if (!input.value.trim() && !browse) showBrowse();
    input.focus();
  }

  const opts = options || {};
  if (opts.article != null) openArticle(opts.article, opts.via === 'suggest' ? 'suggest' : null);
  if (typeof opts.query === 'string' && opts.query.trim()) {
    input.value = opts.query.slice(0, 200);
    runSearch(input.value.trim(), false);
  } else showBrowse();
  return root;
}
