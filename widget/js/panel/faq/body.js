// An article body: HTML the server already sanitised (server/sanitize.py). It is parsed in an
// inert document (nothing runs or loads there) and copied over through an allowlist once more, so
// a mistake on either side alone cannot put script into the panel. Links open in a new tab.
const TAGS = new Set('A ABBR B BLOCKQUOTE BR CODE DD DEL DETAILS DIV DL DT EM FIGCAPTION FIGURE H1 H2 H3 H4 H5 H6 HR I IMG KBD LI MARK OL P PRE S SMALL SPAN STRONG SUB SUMMARY SUP TABLE TBODY TD TFOOT TH THEAD TR U UL'.split(' '));
const ATTRS = { A: ['href', 'title'], IMG: ['src', 'alt', 'title', 'width', 'height'], TD: ['colspan', 'rowspan'], TH: ['colspan', 'rowspan', 'scope'], OL: ['start'], ABBR: ['title'] };
const SAFE_URL = /^(https?:|mailto:|tel:|\/(?!\/))/i;

function copy(node, into) {
  for (const child of node.childNodes) {
    if (child.nodeType === 3) into.append(child.textContent);
    if (child.nodeType !== 1) continue;
    if (!TAGS.has(child.tagName)) {
      if (!/^(SCRIPT|STYLE|SVG|MATH|IFRAME|TEMPLATE|OBJECT|EMBED)$/i.test(child.tagName)) copy(child, into);
      continue;
    }
    const el = document.createElement(child.tagName);
    for (const name of ATTRS[child.tagName] || []) {
      const value = child.getAttribute(name);
      if (value == null) continue;
      if ((name === 'href' || name === 'src') && !SAFE_URL.test(value.trim())) continue;
      if (name === 'src' && !value.includes('/api/faq/images/')) continue;
      el.setAttribute(name, value);
    }
    if (child.tagName === 'A') {
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', 'noopener noreferrer nofollow');
    }
    if (child.tagName === 'IMG') el.setAttribute('loading', 'lazy');
    copy(child, el);
    into.append(el);
  }
}

export function articleBody(html) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const out = document.createElement('div');
  out.className = 'faq-content';
  copy(doc.body, out);
  return out;
}
