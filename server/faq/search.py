"""The database engine of FAQ search: the same SQL on SQLite and PostgreSQL over the tables our
analyzer fills, then `ranking.rank()` in Python.

Bounded by construction: each expanded query term reads at most `per_term` postings, best impact
first (an index range scan), the candidates are pre-scored from those impacts, and only the best
`RANK_CANDIDATES` are loaded and ranked with the full BM25F formula and proximity. A common word or
a two-letter prefix that matches 50,000 articles costs the same as a rare one.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from .analyzer import Query, analyze_query, compile_synonyms
from .ranking import (
    AnalyzedArticle,
    CorpusStats,
    TermGroup,
    expand_query,
    group_terms,
    rank,
)
from .snippets import Segment, snippet
from .typos import MAX_PREFIX_EXPANSIONS, MIN_TYPO_LENGTH, Vocabulary, deletes

POSTINGS_BUDGET = 600
"""Postings read per query at most, shared by its terms."""
MIN_PER_TERM = 16
RANK_CANDIDATES = 24
"""Candidates ranked with the full formula; on a small site that is every match."""
SNIPPET_CHARS = 160


@dataclass(frozen=True)
class Hit:
    article_id: int
    translation_key: str
    lang: str
    title: str
    title_segments: list[Segment]
    snippet: list[Segment]
    score: float
    category_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.article_id,
            "lang": self.lang,
            "title": self.title,
            "title_highlight": [[text_, marked] for text_, marked in self.title_segments],
            "snippet": [[text_, marked] for text_, marked in self.snippet],
            "category_id": self.category_id,
        }


_PARAM = re.compile(r":(\w+)")


@dataclass(frozen=True)
class Fetch:
    """Runs one SELECT on the session's own driver connection, without SQLAlchemy's per-statement
    work (a search is a handful of small SELECTs; that overhead was most of its time).

    `:name` parameters; a list parameter is written `IN (:name)` in the SQL: SQLite gets one
    placeholder per item, PostgreSQL one array (`= ANY(...)`), so its statement text stays the
    same and asyncpg's prepared-statement cache hits."""

    run: Callable[[str, dict[str, Any]], Awaitable[list[tuple[Any, ...]]]]
    postgres: bool

    async def __call__(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        return await self.run(sql, params)


async def driver_fetch(db: AsyncSession | AsyncConnection) -> Fetch:
    """A `Fetch` on the driver connection under a session or a Core connection (cheaper: no
    ORM session to open and close around a read-only search)."""
    connection = await db.connection() if isinstance(db, AsyncSession) else db
    raw: Any = (await connection.get_raw_connection()).driver_connection
    if connection.dialect.name == "sqlite":

        async def sqlite_fetch(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
            sql, values = _expand(sql, params)
            return [tuple(row) for row in await raw.execute_fetchall(sql, values)]

        return Fetch(sqlite_fetch, postgres=False)

    async def pg_fetch(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        names: list[str] = []

        def number(match: re.Match[str]) -> str:
            names.append(match.group(1))
            return f"${len(names)}"

        sql = re.sub(r"IN \(:(\w+)\)", r"= ANY(:\1)", sql)
        rows = await raw.fetch(_PARAM.sub(number, sql), *(
            list(params[n]) if isinstance(params[n], list | tuple) else params[n] for n in names))
        return [tuple(row) for row in rows]

    return Fetch(pg_fetch, postgres=True)


def _expand(sql: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """`:name` bound to a list becomes `:name_0, :name_1, …` (an empty list matches nothing)."""
    values: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, list | tuple):
            keys = [f"{name}_{i}" for i in range(len(value))]
            values.update(zip(keys, value, strict=True))
            placeholder = ", ".join(f":{k}" for k in keys) if keys else "NULL"
            sql = re.sub(rf":{name}\b", placeholder, sql)
        else:
            values[name] = value
    return sql, values


@dataclass
class _Scope:
    fetch: Fetch
    site_id: int
    lang: str

    async def rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        return await self.fetch(sql, {"s": self.site_id, "l": self.lang, **params})


async def site_context(fetch: Fetch, site_id: int) -> tuple[list[str], list[list[str]]]:
    """The languages the site has published articles in, and its synonym groups."""
    rows = await fetch(
        "SELECT lang, NULL FROM faq_corpus WHERE site_id = :s AND n_docs > 0 UNION ALL"
        " SELECT NULL, groups FROM faq_synonyms WHERE site_id = :s", {"s": site_id})
    languages = sorted(row[0] for row in rows if row[0] is not None)
    groups = next((row[1] for row in rows if row[0] is None), None)
    if isinstance(groups, str):
        groups = json.loads(groups)
    synonyms = [[str(m) for m in g] for g in groups or [] if isinstance(g, list)]
    return languages, synonyms


async def search_articles(
    fetch: Fetch,
    site_id: int,
    text_: str,
    lang: str,
    *,
    languages: Sequence[str] = (),
    synonyms: Sequence[Sequence[str]] = (),
    limit: int = 10,
    snippets: bool = True,
) -> list[Hit]:
    """Published articles for what a user typed: `lang` first, then the other `languages`
    (each analyzed in its own language), skipping translations of articles already found."""
    hits: list[Hit] = []
    seen: set[str] = set()
    for one in [lang, *(other for other in languages if other != lang)]:
        if len(hits) >= limit:
            break
        found = await _search_language(_Scope(fetch, site_id, one), text_, synonyms,
                                       limit - len(hits), seen, snippets)
        for hit in found:
            seen.add(hit.translation_key)
        hits.extend(found)
    return hits


async def _search_language(
    scope: _Scope,
    text_: str,
    synonyms: Sequence[Sequence[str]],
    limit: int,
    exclude: set[str],
    snippets: bool,
) -> list[Hit]:
    query = analyze_query(text_, scope.lang, compile_synonyms(synonyms, scope.lang))
    if not query:
        return []
    groups = expand_query(query, await _vocabulary(scope, query))
    terms = sorted(group_terms(groups))
    if not terms:
        return []
    stats = await _stats(scope, terms)
    if not stats.n_docs:
        return []
    candidates = _prescore(groups, await _postings(scope, terms), stats)
    if not candidates:
        return []
    docs = await scope.rows(
        "SELECT d.article_id, d.title_terms, d.tags_terms, d.body_terms, a.translation_key,"
        " a.title, a.category_id, a.plain FROM faq_docs d JOIN faq_articles a"
        " ON a.id = d.article_id WHERE d.article_id IN (:ids) AND a.site_id = :s"
        " AND a.status = 'published'", ids=candidates)
    by_key = {row[4]: row for row in docs if row[4] not in exclude}
    analyzed = [AnalyzedArticle(key=row[4], title=row[1].split(), tags=row[2].split(),
                                body=row[3].split()) for row in by_key.values()]
    ranked = rank(groups, analyzed, stats, limit=limit)
    if not ranked:
        return []
    wanted = group_terms(groups)
    hits = []
    for key, value in ranked:
        row = by_key[key]
        title = row[5]
        hits.append(Hit(
            article_id=row[0], translation_key=key, lang=scope.lang, title=title,
            title_segments=snippet(title, wanted, scope.lang, max_len=400) if snippets else [],
            snippet=snippet(row[7], wanted, scope.lang, SNIPPET_CHARS)
            if snippets else [],
            score=value, category_id=row[6],
        ))
    return hits


async def _vocabulary(scope: _Scope, query: Query) -> Vocabulary:
    """The part of the site's vocabulary this query can touch: its exact and synonym terms, the
    completions of its last word, and (only for words with no exact hit) their typo neighbours.
    `expand_query` then behaves exactly as over the whole vocabulary."""
    exact = sorted({t for term in query.terms for t in (*term.exact, *term.synonyms)})
    last = query.terms[-1]
    # Without a prefix the range is empty (:q = :p) and costs one index probe.
    typed = last.word if last.prefix and len(last.word) >= 2 else ""
    pairs = await scope.rows(
        "SELECT word, stem FROM faq_words WHERE site_id = :s AND lang = :l AND word IN (:words)"
        " UNION ALL SELECT * FROM (SELECT word, stem FROM faq_words WHERE site_id = :s"
        " AND lang = :l AND word >= :p AND word < :q ORDER BY word LIMIT :n) AS completions",
        words=exact, p=typed, q=typed + "\uffff" if typed else typed, n=MAX_PREFIX_EXPANSIONS * 2)
    vocabulary = Vocabulary((row[0], row[1]) for row in pairs)
    keys: set[str] = set()
    for term in query.terms:
        found = {*term.exact, *term.synonyms}
        if term.prefix and len(term.word) >= 2:
            found |= vocabulary.with_prefix(term.word)
        if any(candidate in vocabulary for candidate in found):
            continue
        for word in (term.word, term.stem):
            if len(word) >= MIN_TYPO_LENGTH:
                keys |= deletes(word)
    if keys:
        near = await scope.rows(
            "SELECT w.word, w.stem FROM faq_word_keys k JOIN faq_words w ON w.site_id = k.site_id"
            " AND w.lang = k.lang AND w.word = k.word WHERE k.site_id = :s AND k.lang = :l"
            " AND k.key IN (:keys)", keys=sorted(keys))
        for word, stem in near:
            vocabulary.add(word, stem)
    return vocabulary


async def _stats(scope: _Scope, terms: list[str]) -> CorpusStats:
    rows = await scope.rows(
        "SELECT NULL, n_docs, len_title, len_tags, len_body FROM faq_corpus WHERE site_id = :s"
        " AND lang = :l UNION ALL SELECT term, df, 0, 0, 0 FROM faq_term_stats"
        " WHERE site_id = :s AND lang = :l AND term IN (:terms)", terms=terms)
    corpus = next((row for row in rows if row[0] is None), None)
    if corpus is None or not corpus[1]:
        return CorpusStats(0, {}, {})
    n, title, tags, body = corpus[1:]
    return CorpusStats(n, {"title": title / n, "tags": tags / n, "body": body / n},
                       {row[0]: row[1] for row in rows if row[0] is not None})


_ONE_TERM = ("SELECT * FROM (SELECT term, article_id, impact FROM faq_postings WHERE site_id = :s"
             " AND lang = :l AND term = :t{i} ORDER BY impact DESC LIMIT :k) AS p{i}")


async def _postings(scope: _Scope, terms: list[str]) -> list[tuple[str, int, int]]:
    # One term: its best-impact articles are exactly the best candidates. Several: read deeper,
    # so articles holding more than one of them are seen.
    per_term = RANK_CANDIDATES if len(terms) == 1 else max(MIN_PER_TERM, POSTINGS_BUDGET // len(terms))
    if scope.fetch.postgres:
        rows = await scope.rows(
            "SELECT t.term, p.article_id, p.impact FROM unnest(CAST(:terms AS text[])) AS t(term)"
            " CROSS JOIN LATERAL (SELECT article_id, impact FROM faq_postings WHERE site_id = :s"
            " AND lang = :l AND term = t.term ORDER BY impact DESC LIMIT :k) AS p",
            terms=terms, k=per_term)
        return [(row[0], row[1], row[2]) for row in rows]
    parts = []
    params: dict[str, Any] = {"k": per_term}
    for i, term in enumerate(terms):
        params[f"t{i}"] = term
        # Only numbered placeholders are formatted in; every term is a bound parameter.
        parts.append(_ONE_TERM.format(i=i))
    rows = await scope.rows(" UNION ALL ".join(parts), **params)
    return [(row[0], row[1], row[2]) for row in rows]


def _prescore(
    groups: Sequence[TermGroup], postings: list[tuple[str, int, int]], stats: CorpusStats
) -> list[int]:
    """Order candidates by the sum over query words of weight x idf x impact, times coverage:
    the BM25F score without proximity, from the stored impacts. Keep the best few."""
    by_term: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for term, article, impact in postings:
        by_term[term].append((article, impact))
    scores: dict[int, float] = defaultdict(float)
    covered: dict[int, int] = defaultdict(int)
    for group in groups:
        idf = stats.group_idf(group)
        best: dict[int, float] = {}
        for alt in group:
            for article, impact in by_term.get(alt.term, ()):
                value = alt.weight * idf * impact / 1000.0
                if value > best.get(article, 0.0):
                    best[article] = value
        for article, value in best.items():
            scores[article] += value
            covered[article] += 1
    n = len(groups) or 1
    ordered = sorted(scores, key=lambda a: (-scores[a] * covered[a] / n, a))
    return ordered[:RANK_CANDIDATES]

