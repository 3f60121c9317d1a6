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
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from weakref import WeakSet

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from .analyzer import Query, Synonyms, analyze_query, compile_synonyms
from .ranking import (
    CorpusStats,
    StoredArticle,
    TermGroup,
    expand_query,
    group_terms,
    rank,
)
from .snippets import Highlighter, Segment
from .typos import MAX_PREFIX_EXPANSIONS, MIN_TYPO_LENGTH, Vocabulary, deletes

POSTINGS_BUDGET = 600
"""Postings read per query at most, shared by its terms."""
MIN_PER_TERM = 16
RANK_CANDIDATES = 24
"""Candidates ranked with the full formula; on a small site that is every match."""
SNIPPET_CHARS = 160
PG_ARRAY_ESTIMATE = 10
"""The number of items PostgreSQL assumes for an array parameter when it prices a generic plan."""


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
SQLITE_MMAP_BYTES = 1 << 30
_MAPPED: WeakSet[Any] = WeakSet()


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
        if raw not in _MAPPED:
            # Index pages read through a memory map instead of a read() call and a copy each:
            # the candidates of a search are scattered rows, and this halves reading them.
            await raw.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")
            _MAPPED.add(raw)

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
    groups = tuple(tuple(group) for group in synonyms)
    order = [lang, *(other for other in languages if other != lang)]
    return await _in_languages(fetch, site_id, text_, order, groups, limit, [], snippets)


async def search_site(
    fetch: Fetch, site_id: int, text_: str, lang: str, default: str, *, limit: int = 10
) -> list[Hit]:
    """`search_articles` for a request, over the site's languages (`default` first when the
    reader's has no articles) and synonym groups, which come with the first language's
    vocabulary statement instead of a statement of their own (one round trip less)."""
    plain = analyze_query(text_, lang)
    if not plain:
        return []  # no word at all, in any language
    scope = _Scope(fetch, site_id, lang)
    lookup = await _vocabulary(scope, plain, site=True)
    languages, groups = lookup.languages, lookup.groups
    query = analyze_query(text_, lang, _synonym_table(groups, lang))
    if query != plain:  # a word of it is in a synonym group: more terms to look up
        lookup = await _vocabulary(scope, query)
    hits = await _rank(scope, query, lookup, limit, set(), snippets=True)
    if lang not in languages and default in languages:
        languages = [default, *(other for other in languages if other != default)]
    order = [other for other in languages if other != lang]
    return await _in_languages(fetch, site_id, text_, order, groups, limit, hits, True)


async def _in_languages(
    fetch: Fetch,
    site_id: int,
    text_: str,
    order: Sequence[str],
    groups: tuple[tuple[str, ...], ...],
    limit: int,
    hits: list[Hit],
    snippets: bool,
) -> list[Hit]:
    """Adds to `hits` the results of each language in turn while fewer than `limit` were found."""
    seen = {hit.translation_key for hit in hits}
    for one in order:
        if len(hits) >= limit:
            break
        scope = _Scope(fetch, site_id, one)
        query = analyze_query(text_, one, _synonym_table(groups, one))
        if not query:
            continue
        found = await _rank(scope, query, await _vocabulary(scope, query), limit - len(hits),
                            seen, snippets)
        seen.update(hit.translation_key for hit in found)
        hits.extend(found)
    return hits


async def _rank(
    scope: _Scope, query: Query, lookup: _Lookup, limit: int, exclude: set[str], snippets: bool
) -> list[Hit]:
    """The best `limit` articles of one language, with their snippets."""
    vocabulary, stats = lookup.vocabulary, lookup.stats
    if not stats.n_docs:
        return []
    groups = expand_query(query, vocabulary)
    if not group_terms(groups):
        return []
    docs = await _candidates(scope, groups, stats)
    by_key = {row[4]: row for row in docs if row[4] not in exclude}
    stored = [StoredArticle(row[4], row[1], row[2], row[3]) for row in by_key.values()]
    ranked = rank(groups, stored, stats, limit=limit)
    if not ranked:
        return []
    highlight = Highlighter(group_terms(groups), scope.lang)
    hits = []
    for key, value in ranked:
        row = by_key[key]
        title = row[5]
        hits.append(Hit(
            article_id=row[0], translation_key=key, lang=scope.lang, title=title,
            title_segments=highlight(title, max_len=400) if snippets else [],
            snippet=highlight(row[7], SNIPPET_CHARS) if snippets else [],
            score=value, category_id=row[6],
        ))
    return hits


_VOCABULARY = (
    # the words equal to an exact or synonym term, with the df of their stem
    "SELECT 0, w.word, w.stem, t.df, 0, 0, 0 FROM faq_words w LEFT JOIN faq_term_stats t"
    " ON t.site_id = w.site_id AND t.lang = w.lang AND t.term = w.stem"
    " WHERE w.site_id = :s AND w.lang = :l AND w.word IN (:words)"
    # the completions of a half-typed last word (without one the range is empty: :q = :p)
    " UNION ALL SELECT 0, c.word, c.stem, t.df, 0, 0, 0 FROM (SELECT word, stem FROM faq_words"
    " WHERE site_id = :s AND lang = :l AND word >= :p AND word < :q ORDER BY word LIMIT :n) AS c"
    " LEFT JOIN faq_term_stats t ON t.site_id = :s AND t.lang = :l AND t.term = c.stem"
    # the df of the exact and synonym terms (a variant need not be anybody's word)
    " UNION ALL SELECT 1, term, NULL, df, 0, 0, 0 FROM faq_term_stats"
    " WHERE site_id = :s AND lang = :l AND term IN (:words)"
    " UNION ALL SELECT 2, NULL, NULL, n_docs, len_title, len_tags, len_body FROM faq_corpus"
    " WHERE site_id = :s AND lang = :l"
)
_SITE = (
    # with the reader's language: the site's languages and its synonym groups
    " UNION ALL SELECT 3, lang, NULL, NULL, 0, 0, 0 FROM faq_corpus WHERE site_id = :s"
    " AND n_docs > 0 UNION ALL SELECT 4, CAST(groups AS TEXT), NULL, NULL, 0, 0, 0"
    " FROM faq_synonyms WHERE site_id = :s"
)
_NEAR = (
    "SELECT w.word, w.stem, t.df FROM faq_word_keys k JOIN faq_words w ON w.site_id = k.site_id"
    " AND w.lang = k.lang AND w.word = k.word LEFT JOIN faq_term_stats t ON t.site_id = w.site_id"
    " AND t.lang = w.lang AND t.term = w.stem WHERE k.site_id = :s AND k.lang = :l"
    " AND k.key IN (:keys)"
)


@lru_cache(maxsize=256)
def _synonym_table(groups: tuple[tuple[str, ...], ...], lang: str) -> Synonyms:
    """A site's synonym groups compiled for a language (folding and stemming every member
    took 0.5 ms per request for the demo's 27 groups); cached, as they rarely change."""
    return compile_synonyms(groups, lang)


@dataclass
class _Lookup:
    """What one vocabulary statement gave: the query's part of the vocabulary, the statistics of
    its terms, and (when asked for) the site's languages and synonym groups."""

    vocabulary: Vocabulary
    stats: CorpusStats
    languages: list[str]
    groups: tuple[tuple[str, ...], ...] = ()


async def _vocabulary(scope: _Scope, query: Query, site: bool = False) -> _Lookup:
    """The part of the site's vocabulary this query can touch (its exact and synonym terms, the
    completions of its last word, and only for words with no exact hit their typo neighbours),
    and the statistics of every term it can expand to, in one statement (two with typos).
    `expand_query` then behaves exactly as over the whole vocabulary."""
    exact = sorted({t for term in query.terms for t in (*term.exact, *term.synonyms)})
    last = query.terms[-1]
    typed = last.word if last.prefix and len(last.word) >= 2 else ""
    if scope.fetch.postgres:
        # PostgreSQL prices a generic plan as if each array held 10 items; with the 1-3 a query
        # has, a custom plan looks cheaper and was made again on every search (0.35 ms of the
        # database's CPU). Padded with words no row has, the cached generic plan is chosen.
        exact += [""] * (PG_ARRAY_ESTIMATE - len(exact))
    rows = await scope.rows(_VOCABULARY + (_SITE if site else ""), words=exact, p=typed,
                            q=typed + "\uffff" if typed else typed, n=MAX_PREFIX_EXPANSIONS * 2)
    vocabulary = Vocabulary()
    df: dict[str, int] = {}
    corpus = (0, 0, 0, 0)
    languages: list[str] = []
    groups: tuple[tuple[str, ...], ...] = ()
    for kind, word, stem, count, title, tags, body in rows:
        if kind == 0:
            vocabulary.add(word, stem)
            if count is not None:
                df[stem] = count
        elif kind == 1:
            df[word] = count
        elif kind == 2:
            corpus = (count, title, tags, body)
        elif kind == 3:
            languages.append(word)
        else:
            groups = _parse_groups(word)
    lookup = _Lookup(vocabulary, CorpusStats(0, {}, {}), sorted(languages), groups)
    n = corpus[0]
    if not n:
        return lookup
    keys = _typo_keys(query, vocabulary)
    if keys:
        for word, stem, count in await scope.rows(_NEAR, keys=sorted(keys)):
            vocabulary.add(word, stem)
            if count is not None:
                df[stem] = count
    averages = {"title": corpus[1] / n, "tags": corpus[2] / n, "body": corpus[3] / n}
    lookup.stats = CorpusStats(n, averages, df)
    return lookup


def _parse_groups(stored: Any) -> tuple[tuple[str, ...], ...]:
    groups = json.loads(stored) if isinstance(stored, str) else stored
    return tuple(tuple(str(m) for m in g) for g in groups or [] if isinstance(g, list))


def _typo_keys(query: Query, vocabulary: Vocabulary) -> set[str]:
    """The delete keys of the words that have none of their alternatives in the vocabulary."""
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
    return keys


# The candidates and what ranking needs of them, in one statement. Each expanded term reads its
# best postings by impact (an index range scan, `LIMIT :k`) with the weight x idf of its query
# word; per article and word the best alternative counts; articles are pre-scored by the sum over
# words times the number of words they hold (the BM25F score without proximity, from the stored
# impacts), and only the best `RANK_CANDIDATES` are joined to their rows.
_PRESCORE = (
    "WITH hits AS ({hits}),"
    " best AS (SELECT article_id, g, MAX(v) AS v FROM hits GROUP BY article_id, g),"
    " top AS (SELECT article_id, SUM(v) * COUNT(*) AS s FROM best GROUP BY article_id"
    " ORDER BY s DESC, article_id LIMIT :n)"
    " SELECT d.article_id, d.title_terms, d.tags_terms, d.body_terms, a.translation_key,"
    " a.title, a.category_id, a.plain FROM top JOIN faq_docs d ON d.article_id = top.article_id"
    " JOIN faq_articles a ON a.id = d.article_id WHERE a.site_id = :s AND a.status = 'published'"
)
_PG_HITS = (
    "SELECT q.g, p.article_id, p.impact * q.f AS v FROM unnest(CAST(:terms AS text[]),"
    " CAST(:groups AS int[]), CAST(:factors AS float8[])) AS q(term, g, f) CROSS JOIN LATERAL"
    " (SELECT article_id, impact FROM faq_postings WHERE site_id = :s AND lang = :l"
    " AND term = q.term ORDER BY impact DESC LIMIT :k) AS p"
)
_SQLITE_HIT = (
    "SELECT * FROM (SELECT :g{i} AS g, article_id, impact * :f{i} AS v FROM faq_postings"
    " WHERE site_id = :s AND lang = :l AND term = :t{i} ORDER BY impact DESC LIMIT :k)"
)


async def _candidates(
    scope: _Scope, groups: Sequence[TermGroup], stats: CorpusStats
) -> list[tuple[Any, ...]]:
    """The `faq_docs` and article rows of the best candidates by pre-score (unordered)."""
    entries = [(alt.term, g, alt.weight * idf)
               for g, (group, idf) in enumerate(zip(groups, map(stats.group_idf, groups),
                                                    strict=True))
               for alt in group]
    # One term: its best-impact articles are exactly the best candidates. Several: read deeper,
    # so articles holding more than one of them are seen.
    per_term = (RANK_CANDIDATES if len(entries) == 1
                else max(MIN_PER_TERM, POSTINGS_BUDGET // len(entries)))
    if scope.fetch.postgres:
        return await scope.rows(
            _PRESCORE.format(hits=_PG_HITS), terms=[e[0] for e in entries],
            groups=[e[1] for e in entries], factors=[e[2] for e in entries], k=per_term,
            n=RANK_CANDIDATES)
    params: dict[str, Any] = {"k": per_term, "n": RANK_CANDIDATES}
    for i, (term, g, factor) in enumerate(entries):
        params.update({f"t{i}": term, f"g{i}": g, f"f{i}": factor})
    # Only numbered placeholders are formatted in; every term is a bound parameter.
    hits = " UNION ALL ".join(_SQLITE_HIT.format(i=i) for i in range(len(entries)))
    return await scope.rows(_PRESCORE.format(hits=hits), **params)
