"""Keeping the search tables in step with published articles, with the same SQL on SQLite and
PostgreSQL. `index_articles` adds many at once (import, benchmarks); `unindex_article` takes
one out before it changes or stops being published."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from .content import IndexEntry, word_entries, word_keys

BATCH = 5_000


@dataclass(frozen=True)
class ToIndex:
    article_id: int
    site_id: int
    lang: str
    entry: IndexEntry


async def _many(session: AsyncSession, sql: str, rows: Sequence[dict[str, Any]]) -> None:
    statement = text(sql)
    for start in range(0, len(rows), BATCH):
        await session.execute(statement, list(rows[start:start + BATCH]))


async def average_lengths(session: AsyncSession, site_id: int, lang: str) -> dict[str, float] | None:
    row = (await session.execute(text(
        "SELECT n_docs, len_title, len_tags, len_body FROM faq_corpus "
        "WHERE site_id = :s AND lang = :l"), {"s": site_id, "l": lang})).first()
    if row is None or not row[0]:
        return None
    n = row[0]
    return {"title": row[1] / n, "tags": row[2] / n, "body": row[3] / n}


@dataclass
class IndexRows:
    """The rows `index_articles` writes, computed without I/O (benchmarks bulk-load these)."""

    docs: list[dict[str, Any]]
    postings: list[dict[str, Any]]
    df: list[dict[str, Any]]
    words: list[dict[str, Any]]
    keys: list[dict[str, Any]]
    corpus: list[dict[str, Any]]


def index_rows(
    items: Sequence[ToIndex], averages: Mapping[tuple[int, str], Mapping[str, float] | None]
) -> IndexRows:
    docs, postings = [], []
    df: Counter[tuple[int, str, str]] = Counter()
    words: Counter[tuple[int, str, str, str]] = Counter()
    keys: set[tuple[int, str, str, str]] = set()
    corpus: dict[tuple[int, str], list[int]] = {}
    for item in items:
        scope = (item.site_id, item.lang)
        entry = item.entry
        docs.append({"a": item.article_id, "s": item.site_id, "l": item.lang,
                     "t": " ".join(entry.title), "g": " ".join(entry.tags),
                     "b": " ".join(entry.body)})
        for term, impact in entry.impacts(averages.get(scope)).items():
            postings.append({"s": item.site_id, "l": item.lang, "t": term, "i": impact,
                             "a": item.article_id})
            df[(item.site_id, item.lang, term)] += 1
        entries = word_entries(entry.words)
        for word, stem in entries:
            words[(item.site_id, item.lang, word, stem)] += 1
        keys.update((item.site_id, item.lang, key, word) for key, word in word_keys(entries))
        totals = corpus.setdefault(scope, [0, 0, 0, 0])
        for i, value in enumerate((1, *entry.lengths)):
            totals[i] += value
    return IndexRows(
        docs=docs, postings=postings,
        df=[{"s": s, "l": lang, "t": t, "n": n} for (s, lang, t), n in df.items()],
        words=[{"s": s, "l": lang, "w": w, "t": t, "n": n} for (s, lang, w, t), n in words.items()],
        keys=[{"s": s, "l": lang, "k": k, "w": w} for s, lang, k, w in sorted(keys)],
        corpus=[{"s": s, "l": lang, "n": v[0], "t": v[1], "g": v[2], "b": v[3]}
                for (s, lang), v in corpus.items()],
    )


async def index_articles(session: AsyncSession, items: Sequence[ToIndex]) -> None:
    """Add published articles to the index (they must not be in it already)."""
    if not items:
        return
    averages: dict[tuple[int, str], Mapping[str, float] | None] = {}
    for item in items:
        scope = (item.site_id, item.lang)
        if scope not in averages:
            averages[scope] = await average_lengths(session, *scope)
    rows = index_rows(items, averages)
    await _many(session, "INSERT INTO faq_docs (article_id, site_id, lang, title_terms, tags_terms,"
                " body_terms) VALUES (:a, :s, :l, :t, :g, :b)", rows.docs)
    await _many(session, "INSERT INTO faq_postings (site_id, lang, term, impact, article_id) "
                "VALUES (:s, :l, :t, :i, :a)", rows.postings)
    await _many(session, "INSERT INTO faq_term_stats (site_id, lang, term, df) VALUES (:s, :l, :t, :n)"
                " ON CONFLICT (site_id, lang, term) DO UPDATE SET df = faq_term_stats.df + :n",
                rows.df)
    await _many(session, "INSERT INTO faq_words (site_id, lang, word, stem, n) VALUES (:s, :l, :w,"
                " :t, :n) ON CONFLICT (site_id, lang, word, stem) DO UPDATE SET n = faq_words.n + :n",
                rows.words)
    await _many(session, "INSERT INTO faq_word_keys (site_id, lang, key, word) VALUES (:s, :l, :k,"
                " :w) ON CONFLICT (site_id, lang, key, word) DO NOTHING", rows.keys)
    await _many(session, "INSERT INTO faq_corpus (site_id, lang, n_docs, len_title, len_tags, len_body)"
                " VALUES (:s, :l, :n, :t, :g, :b) ON CONFLICT (site_id, lang) DO UPDATE SET"
                " n_docs = faq_corpus.n_docs + :n, len_title = faq_corpus.len_title + :t,"
                " len_tags = faq_corpus.len_tags + :g, len_body = faq_corpus.len_body + :b",
                rows.corpus)


async def unindex_article(session: AsyncSession, item: ToIndex) -> None:
    """Take an article out of the index; `item.entry` must be what it was indexed with."""
    exists = (await session.execute(text("SELECT 1 FROM faq_docs WHERE article_id = :a"),
                                    {"a": item.article_id})).first()
    if exists is None:
        return
    scope = {"s": item.site_id, "l": item.lang}
    entry = item.entry
    await session.execute(text("DELETE FROM faq_docs WHERE article_id = :a"), {"a": item.article_id})
    terms = sorted(entry.terms())
    await _many(session, "DELETE FROM faq_postings WHERE site_id = :s AND lang = :l AND term = :t"
                " AND article_id = :a", [{**scope, "t": t, "a": item.article_id} for t in terms])
    await _many(session, "UPDATE faq_term_stats SET df = df - 1 WHERE site_id = :s AND lang = :l"
                " AND term = :t", [{**scope, "t": t} for t in terms])
    await session.execute(text("DELETE FROM faq_term_stats WHERE site_id = :s AND lang = :l"
                               " AND df <= 0"), scope)
    entries = sorted(word_entries(entry.words))
    await _many(session, "UPDATE faq_words SET n = n - 1 WHERE site_id = :s AND lang = :l AND"
                " word = :w AND stem = :t", [{**scope, "w": w, "t": t} for w, t in entries])
    gone = (await session.execute(text(
        "SELECT word FROM faq_words WHERE site_id = :s AND lang = :l AND n <= 0"), scope)).scalars()
    gone_words = set(gone)
    await session.execute(text("DELETE FROM faq_words WHERE site_id = :s AND lang = :l AND n <= 0"),
                          scope)
    if gone_words:
        still = set((await session.execute(text(
            "SELECT word FROM faq_words WHERE site_id = :s AND lang = :l AND word IN :words"
        ).bindparams(bindparam("words", expanding=True)), {**scope, "words": sorted(gone_words)})).scalars())
        orphans = [(k, w) for k, w in word_keys({(w, w) for w in gone_words - still})]
        await _many(session, "DELETE FROM faq_word_keys WHERE site_id = :s AND lang = :l AND"
                    " key = :k AND word = :w", [{**scope, "k": k, "w": w} for k, w in orphans])
    title, tags, body = entry.lengths
    await session.execute(text(
        "UPDATE faq_corpus SET n_docs = n_docs - 1, len_title = len_title - :t, len_tags ="
        " len_tags - :g, len_body = len_body - :b WHERE site_id = :s AND lang = :l"),
        {**scope, "t": title, "g": tags, "b": body})

