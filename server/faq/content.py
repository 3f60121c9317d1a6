"""Pure article processing: Markdown to sanitised HTML and plain text, and what the index stores
for an article (analyzed fields, per-term impacts, the words of the typo and prefix tables)."""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt

from helpmenu.sanitize import clean_html

from .ranking import FIELDS, K1, analyze_article, article_words
from .typos import deletes

_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|tr|pre|blockquote|dd|dt|div|table)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")

MAX_TITLE = 300
MAX_BODY = 200_000
MAX_TAGS = 30
MAX_TAG = 100
DEFAULT_AVG_LEN: Mapping[str, float] = {"title": 8.0, "tags": 6.0, "body": 150.0}


def render_markdown(body: str, public_origin: str = "") -> str:
    """The article body as HTML, through the one sanitizer (raw HTML in Markdown included)."""
    return clean_html(_markdown.render(body), public_origin)


def plain_text(html: str) -> str:
    """Readable text of sanitised HTML: what snippets are cut from and what the index analyzes."""
    text = _BLOCK_END.sub("\n", html)
    text = html_lib.unescape(_TAG.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()


@dataclass(frozen=True)
class IndexEntry:
    """Everything the search tables hold for one published article."""

    title: list[str]
    tags: list[str]
    body: list[str]
    words: set[tuple[str, str]]

    @property
    def lengths(self) -> tuple[int, int, int]:
        return len(self.title), len(self.tags), len(self.body)

    def terms(self) -> set[str]:
        return {*self.title, *self.tags, *self.body}

    def impacts(self, avg_len: Mapping[str, float] | None = None) -> dict[str, int]:
        """Each term's saturated BM25F frequency in this article, x1000 (idf left out: it is
        the same for every article of a term, so it does not change the order of its list)."""
        avg = avg_len or DEFAULT_AVG_LEN
        fields = {"title": self.title, "tags": self.tags, "body": self.body}
        tf: dict[str, float] = {}
        for name, spec in FIELDS.items():
            terms = fields[name]
            norm = 1.0 - spec.b + spec.b * len(terms) / (avg.get(name) or 1.0)
            for term, count in Counter(terms).items():
                tf[term] = tf.get(term, 0.0) + spec.boost * count / norm
        return {term: max(1, round(1000 * f * (K1 + 1) / (f + K1))) for term, f in tf.items()}


def index_entry(title: str, plain: str, tags: Sequence[str], lang: str) -> IndexEntry:
    analyzed = analyze_article("", title, plain, tags, lang)
    return IndexEntry(
        title=list(analyzed.title),
        tags=list(analyzed.tags),
        body=list(analyzed.body),
        words=article_words(title, plain, tags, lang),
    )


def word_entries(words: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """(entry, stem) rows: every word with its stem, and every stem as an entry of its own (as
    `Vocabulary.add` keeps them), so a stem is found by typo and prefix lookups too."""
    return {*words, *((stem, stem) for _, stem in words)}


def word_keys(entries: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """(delete key, entry) rows of the typo table."""
    return {(key, entry) for entry in {e for e, _ in entries} for key in deletes(entry)}


def clean_tags(tags: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    for tag in tags:
        text = " ".join(str(tag).replace("\x00", "").split())[:MAX_TAG]
        if text and "," not in text:
            seen.setdefault(text, None)
    return list(seen)[:MAX_TAGS]
