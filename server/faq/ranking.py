"""Ranking, the same for every engine: expand a query, then score candidates with BM25F.

An engine (SQLite FTS5, PostgreSQL) only fetches a bounded set of candidate articles that contain
any of the expanded terms; the order comes from `rank()` here, so both engines agree. The formula
is written out in docs/search.md.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from .analyzer import Query, analyze, analyze_words
from .typos import Vocabulary


class MatchKind(StrEnum):
    EXACT = "exact"
    SYNONYM = "synonym"
    PREFIX = "prefix"
    TYPO = "typo"


WEIGHTS: Mapping[MatchKind, float] = {
    MatchKind.EXACT: 1.0,
    MatchKind.SYNONYM: 0.9,
    MatchKind.PREFIX: 0.8,
    MatchKind.TYPO: 0.6,
}


@dataclass(frozen=True, slots=True)
class Alternative:
    """An index term that counts as a match for one query word, and how it was found."""

    term: str
    kind: MatchKind

    @property
    def weight(self) -> float:
        return WEIGHTS[self.kind]


TermGroup = tuple[Alternative, ...]
"""The alternatives of one query word; an article matches the word if it has any of them."""


def expand_query(query: Query, vocabulary: Vocabulary) -> list[TermGroup]:
    """One group per query word: its stem and variants, synonyms, prefix completions, typos.

    Typo neighbours are added only when nothing else of the group is in the vocabulary.
    """
    groups: list[TermGroup] = []
    for term in query.terms:
        found: dict[str, MatchKind] = {}
        for exact in term.exact:
            found.setdefault(exact, MatchKind.EXACT)
        for synonym in term.synonyms:
            found.setdefault(synonym, MatchKind.SYNONYM)
        if term.prefix and len(term.word) >= 2:
            for completion in sorted(vocabulary.with_prefix(term.word)):
                found.setdefault(completion, MatchKind.PREFIX)
        if not any(candidate in vocabulary for candidate in found):
            for near in sorted(vocabulary.near(term.word) | vocabulary.near(term.stem)):
                found.setdefault(near, MatchKind.TYPO)
        groups.append(tuple(Alternative(t, kind) for t, kind in found.items()))
    return groups


def group_terms(groups: Iterable[TermGroup]) -> set[str]:
    """Every term of the expanded query: what an engine's candidate query ORs together."""
    return {alt.term for group in groups for alt in group}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    boost: float
    b: float


FIELDS: Mapping[str, FieldSpec] = {
    "title": FieldSpec(boost=4.0, b=0.5),
    "tags": FieldSpec(boost=2.0, b=0.3),
    "body": FieldSpec(boost=1.0, b=0.75),
}
K1 = 1.2


class Rankable(Protocol):
    """What `rank()` reads of a candidate article."""

    @property
    def key(self) -> str: ...

    def length(self, name: str) -> int:
        """The number of terms of field `name`."""
        ...

    def counts(self, wanted: frozenset[str]) -> dict[str, dict[str, int]]:
        """How often each wanted term occurs, per field (only the terms that occur)."""
        ...

    def positions(self, name: str, term: str) -> list[int]:
        """Where `term` stands in field `name` (only proximity needs it)."""
        ...


@dataclass(frozen=True)
class AnalyzedArticle:
    """An article's index terms per field, as `analyze()` produced them."""

    key: str
    title: Sequence[str]
    tags: Sequence[str]
    body: Sequence[str]

    def field(self, name: str) -> Sequence[str]:
        value: Sequence[str] = getattr(self, name)
        return value

    def terms(self) -> set[str]:
        return {term for name in FIELDS for term in self.field(name)}

    def length(self, name: str) -> int:
        return len(self.field(name))

    def counts(self, wanted: frozenset[str]) -> dict[str, dict[str, int]]:
        # Only the query's terms are counted (a set intersection and `list.count`, in C).
        found: dict[str, dict[str, int]] = {}
        for name in FIELDS:
            terms = self.field(name)
            found[name] = {term: terms.count(term) for term in wanted.intersection(terms)}
        return found

    def positions(self, name: str, term: str) -> list[int]:
        return _positions(self.field(name), term)


class StoredArticle:
    """An article's index terms as the database stores them: each field one string of terms
    joined by single spaces. Counting the query's few terms in those strings (`str.count`)
    costs far less than splitting every field of every candidate into a list of strings."""

    __slots__ = ("_fields", "_lists", "key")

    def __init__(self, key: str, title: str, tags: str, body: str) -> None:
        self.key = key
        self._fields = {"title": title, "tags": tags, "body": body}
        self._lists: dict[str, list[str]] = {}

    def length(self, name: str) -> int:
        text = self._fields[name]
        return text.count(" ") + 1 if text else 0

    def counts(self, wanted: frozenset[str]) -> dict[str, dict[str, int]]:
        if len(wanted) > FEW_TERMS:  # many prefix completions: one split beats many scans
            found: dict[str, dict[str, int]] = {}
            for name in FIELDS:
                terms = self._list(name)
                found[name] = {term: terms.count(term) for term in wanted.intersection(terms)}
            return found
        return {name: self._count(text, wanted) for name, text in self._fields.items()}

    @staticmethod
    def _count(text: str, wanted: frozenset[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        spaced = ""
        for term in wanted:
            if term in text:  # a cheap test first; a substring is not yet a whole term
                # Doubled separators: non-overlapping `count` then sees repeated neighbours.
                spaced = spaced or f" {text.replace(' ', '  ')} "
                count = spaced.count(f" {term} ")
                if count:
                    found[term] = count
        return found

    def positions(self, name: str, term: str) -> list[int]:
        return _positions(self._list(name), term)

    def _list(self, name: str) -> list[str]:
        terms = self._lists.get(name)
        if terms is None:
            terms = self._lists[name] = self._fields[name].split(" ") if self._fields[name] else []
        return terms


FEW_TERMS = 8
"""Up to this many query terms, `StoredArticle` counts them in its strings without splitting."""


def _positions(terms: Sequence[str], term: str) -> list[int]:
    found = []
    at = -1
    with suppress(ValueError):
        while True:
            at = terms.index(term, at + 1)
            found.append(at)
    return found


def analyze_article(
    key: str, title: str, body: str, tags: Sequence[str], lang: str | None
) -> AnalyzedArticle:
    return AnalyzedArticle(
        key=key,
        title=analyze(title, lang),
        tags=analyze(" ".join(tags), lang),
        body=analyze(body, lang),
    )


def article_words(
    title: str, body: str, tags: Sequence[str], lang: str | None
) -> set[tuple[str, str]]:
    """(word, stem) pairs of an article, for the site's `Vocabulary`."""
    return set(analyze_words(" ".join([title, *tags, body]), lang))


@dataclass(frozen=True)
class CorpusStats:
    """What BM25 needs to know about the whole site and language: a DB keeps these up to date."""

    n_docs: int
    avg_len: Mapping[str, float]
    df: Mapping[str, int]

    @classmethod
    def from_articles(cls, articles: Sequence[AnalyzedArticle]) -> CorpusStats:
        df: Counter[str] = Counter()
        for article in articles:
            df.update(article.terms())
        n = max(len(articles), 1)
        avg = {name: sum(len(a.field(name)) for a in articles) / n for name in FIELDS}
        return cls(len(articles), avg, df)

    def idf(self, term: str) -> float:
        return self._idf(self.df.get(term, 0))

    def group_idf(self, group: TermGroup) -> float:
        """One idf for a query word: that of the word as typed (its most frequent exact stem)
        when the site has it, else that of its most frequent alternative. A rare synonym or typo
        neighbour never weighs more than the word the user meant."""
        exact = [self.df.get(a.term, 0) for a in group if a.kind is MatchKind.EXACT]
        if any(exact):
            return self._idf(max(exact))
        return self._idf(max((self.df.get(alt.term, 0) for alt in group), default=0))

    def _idf(self, df: int) -> float:
        return math.log(1.0 + (self.n_docs - df + 0.5) / (df + 0.5))


def score(groups: Sequence[TermGroup], article: Rankable, stats: CorpusStats) -> float:
    """BM25F over title, tags and body, times coverage, plus a bonus for neighbouring words.

    docs/search.md writes the formula out; an engine must not reorder what this returns.
    """
    return _score(_Scoring.of(groups, stats), article, stats)


@dataclass(frozen=True)
class _Scoring:
    """What scoring needs of the query, worked out once for all its candidates."""

    groups: Sequence[TermGroup]
    idfs: list[float]
    wanted: frozenset[str]

    @classmethod
    def of(cls, groups: Sequence[TermGroup], stats: CorpusStats) -> _Scoring:
        return cls(groups, [stats.group_idf(group) for group in groups],
                   frozenset(group_terms(groups)))


def _score(query: _Scoring, article: Rankable, stats: CorpusStats) -> float:
    groups = query.groups
    if not groups:
        return 0.0
    counts = article.counts(query.wanted)
    present = {term for found in counts.values() for term in found}
    if not present:
        return 0.0
    # (counts, boost, length normalisation) of the fields that hold a query term
    fields = [
        (found, spec.boost,
         1.0 - spec.b + spec.b * article.length(name) / (stats.avg_len.get(name) or 1.0))
        for name, spec in FIELDS.items() if (found := counts[name])
    ]
    total = 0.0
    matched = 0
    for group, idf in zip(groups, query.idfs, strict=True):
        tf = 0.0
        weight = 0.0
        for alt in group:
            if alt.term not in present:
                continue
            hits = 0.0
            for found, boost, norm in fields:
                count = found.get(alt.term)
                if count:
                    hits += boost * count / norm
            tf += hits
            weight = max(weight, alt.weight)
        if tf:
            matched += 1
            total += weight * idf * tf * (K1 + 1.0) / (tf + K1)
    idfs = query.idfs
    for i in range(len(groups) - 1):
        if _near_each_other(article, counts, groups[i], groups[i + 1]):
            total += PROXIMITY * min(idfs[i], idfs[i + 1])
    return total * matched / len(groups)


PROXIMITY = 0.5
PROXIMITY_WINDOW = 3
"""Two query words count as neighbours when at most this many positions apart in one field."""
PROXIMITY_FIELDS = ("title", "body")
"""Tags are a list of separate phrases: the last word of one tag is no neighbour of the next."""


def _near_each_other(
    article: Rankable,
    counts: Mapping[str, Mapping[str, int]],
    first: TermGroup,
    second: TermGroup,
) -> bool:
    for name in PROXIMITY_FIELDS:
        present = counts[name]
        left_terms = [a.term for a in first if a.term in present]
        right_terms = [a.term for a in second if a.term in present]
        if not left_terms or not right_terms:
            continue  # cheap: positions are only looked up where both words occur
        left = [p for term in left_terms for p in article.positions(name, term)]
        right = [p for term in right_terms for p in article.positions(name, term)]
        if any(abs(a - b) <= PROXIMITY_WINDOW for a in left for b in right):
            return True
    return False


def rank(
    groups: Sequence[TermGroup],
    articles: Iterable[Rankable],
    stats: CorpusStats,
    limit: int = 10,
) -> list[tuple[str, float]]:
    """The best `limit` articles as (key, score), best first; ties by key for a stable order."""
    query = _Scoring.of(groups, stats)
    scored = [(article.key, _score(query, article, stats)) for article in articles]
    scored = [pair for pair in scored if pair[1] > 0.0]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:limit]
