"""Highlighted snippets: which words of the original text matched, for the widget to render.

The result is a list of (text, highlighted) segments cut from the original text, never HTML: the
widget puts each in a text node (inside <mark> when highlighted), so nothing in an article or a
query can inject markup.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate, compress

from .analyzer import analyze

# A word of the original text: letters and digits, the combining marks of decomposed text, and
# apostrophes inside a word (зв’язок, customer's), so each word is analyzed as the index saw it.
_WORD_SPLIT = re.compile(r"([^\W_](?:[^\W_]|[\u0300-\u036f\u0483-\u0489]|['\u2019\u02bc`](?=\w))*)")
_ELLIPSIS = "…"
_CONTEXT_BEFORE = 30

Segment = tuple[str, bool]


class Highlighter:
    """Snippets for one query, over the titles and bodies of one page of results.

    Why not one regex over the whole text: Python's `re` over Cyrillic text, and a Python step per
    word, cost far more than the rest of a search. `str.split()` (whitespace, in C) cuts a text
    into tokens; `_TokenCache` knows the terms of every token seen before and which tokens give
    a term, so the matching tokens of a text are one set intersection. A regex word never spans
    whitespace, so a token without a matching term holds no matching word; the regex runs only
    inside the few matching tokens that are not one plain word."""

    def __init__(self, terms: Iterable[str], lang: str | None) -> None:
        self.terms = frozenset(terms)
        self.lang = lang
        self._cache = _token_cache(lang)
        self._matching = self._cache.tokens_with(self.terms)

    def __call__(self, text: str, max_len: int = 160) -> list[Segment]:
        """At most about `max_len` characters of `text` around the matches, in segments."""
        tokens = text.split()
        for token, terms in self._cache.learn(tokens):
            if not self.terms.isdisjoint(terms):
                self._matching.add(token)
        matching = self._matching.intersection(tokens)
        hits: list[tuple[int, int]] = []
        cursor = 0
        for token in compress(tokens, map(matching.__contains__, tokens)) if matching else ():
            start = _find_token(text, token, cursor)
            cursor = start + len(token)
            if token.isalnum():
                hits.append((start, cursor))  # the token is one word (the common case)
            else:
                hits.extend(self._words(token, start))
        return _segments(text, hits, max_len)

    def _words(self, token: str, offset: int) -> list[tuple[int, int]]:
        """The spans of the matching words of a token that holds punctuation or several words."""
        spans = []
        pieces = _WORD_SPLIT.split(token)  # [between, word, between, word, …, between]
        for k, end in enumerate(accumulate(map(len, pieces))):
            if k % 2 and not self.terms.isdisjoint(_word_terms(pieces[k], self.lang)):
                spans.append((offset + end - len(pieces[k]), offset + end))
        return spans


class _TokenCache:
    """The index terms of the whitespace-separated tokens of one language seen so far, and for
    each term the tokens that give it. Emptied when it holds `MAX_CACHED_TOKENS`."""

    def __init__(self, lang: str | None) -> None:
        self.lang = lang
        # Tuples, lists and interned terms: a few hundred bytes a token, not a kilobyte.
        self._terms: dict[str, tuple[str, ...]] = {}
        self._tokens: dict[str, list[str]] = {}

    def learn(self, tokens: Iterable[str]) -> list[tuple[str, tuple[str, ...]]]:
        """Analyze the tokens not seen before; return them with their terms."""
        unseen = set(tokens).difference(self._terms)
        if len(self._terms) + len(unseen) > MAX_CACHED_TOKENS:
            self._terms.clear()
            self._tokens.clear()
        learned = []
        for token in unseen:
            terms = tuple(sys.intern(term) for term in _token_terms(token, self.lang))
            self._terms[token] = terms
            for term in terms:
                self._tokens.setdefault(term, []).append(token)
            learned.append((token, terms))
        return learned

    def tokens_with(self, terms: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for term in terms:
            found.update(self._tokens.get(term, ()))
        return found


MAX_CACHED_TOKENS = 30_000
"""Per language: at most about 10 MB (350 bytes a token when no two share a term); a knowledge
base of a few hundred articles has fewer distinct tokens."""
_caches: dict[str | None, _TokenCache] = {}


def _token_cache(lang: str | None) -> _TokenCache:
    cache = _caches.get(lang)
    if cache is None:
        cache = _caches[lang] = _TokenCache(lang)
    return cache


def _find_token(text: str, token: str, start: int) -> int:
    """Where `token` stands as a whole whitespace-separated token at or after `start`."""
    while True:
        found = text.find(token, start)
        end = found + len(token)
        if (found == 0 or text[found - 1].isspace()) and (end == len(text) or text[end].isspace()):
            return found
        start = found + 1


def snippet(text: str, terms: Iterable[str], lang: str | None, max_len: int = 160) -> list[Segment]:
    """At most about `max_len` characters of `text` around the matches, split into segments."""
    return Highlighter(terms, lang)(text, max_len)


def _segments(text: str, hits: list[tuple[int, int]], max_len: int) -> list[Segment]:
    start, end = _window(text, hits, max_len)
    segments: list[Segment] = []
    if start > 0:
        segments.append((_ELLIPSIS, False))
    cursor = start
    for hit_start, hit_end in hits:
        if hit_start < start or hit_end > end:
            continue
        if hit_start > cursor:
            segments.append((text[cursor:hit_start], False))
        segments.append((text[hit_start:hit_end], True))
        cursor = hit_end
    if end > cursor:
        segments.append((text[cursor:end], False))
    if end < len(text):
        segments.append((_ELLIPSIS, False))
    return _merge(segments)


@lru_cache(maxsize=4096)
def _word_terms(word: str, lang: str | None) -> frozenset[str]:
    """The index terms of one word of a matching token with punctuation or several words."""
    return frozenset(analyze(word, lang))


def _token_terms(token: str, lang: str | None) -> set[str]:
    """The index terms of each word of a whitespace-separated token: a superset of what its
    words give one by one (`analyze` also joins a hyphenated compound), so no match is missed."""
    terms = set(analyze(token, lang))
    if not token.isalnum():
        for word in _WORD_SPLIT.split(token)[1::2]:
            terms.update(analyze(word, lang))
    return terms


def _window(text: str, hits: list[tuple[int, int]], max_len: int) -> tuple[int, int]:
    if len(text) <= max_len:
        return 0, len(text)
    best_start, best_count = 0, 0
    last = 0  # hits[i:last] fit in the window that starts before hits[i]: linear in the hits
    for i, (anchor, _) in enumerate(hits):
        start = max(0, anchor - _CONTEXT_BEFORE)
        last = max(last, i)
        while last < len(hits) and hits[last][1] <= start + max_len:
            last += 1
        if last - i > best_count:
            best_start, best_count = start, last - i
    start = _snap_start(text, best_start)
    end = _snap_end(text, min(len(text), start + max_len))
    return start, end


def _snap_start(text: str, start: int) -> int:
    if start == 0:
        return 0
    space = text.find(" ", start)
    return space + 1 if 0 <= space < start + _CONTEXT_BEFORE else start


def _snap_end(text: str, end: int) -> int:
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", 0, end)
    return space if space > end - _CONTEXT_BEFORE else end


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for part, highlighted in segments:
        if not part:
            continue
        if merged and merged[-1][1] == highlighted and not highlighted:
            merged[-1] = (merged[-1][0] + part, False)
        else:
            merged.append((part, highlighted))
    return merged
