"""Highlighted snippets: which words of the original text matched, for the widget to render.

The result is a list of (text, highlighted) segments cut from the original text, never HTML: the
widget puts each in a text node (inside <mark> when highlighted), so nothing in an article or a
query can inject markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .analyzer import analyze

# A word of the original text: letters and digits, the combining marks of decomposed text, and
# apostrophes inside a word (зв’язок, customer's), so each word is analyzed as the index saw it.
_WORD_RE = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f\u0483-\u0489]|['\u2019\u02bc`](?=\w))*")
_ELLIPSIS = "…"
_CONTEXT_BEFORE = 30

Segment = tuple[str, bool]


def snippet(text: str, terms: Iterable[str], lang: str | None, max_len: int = 160) -> list[Segment]:
    """At most about `max_len` characters of `text` around the matches, split into segments."""
    wanted = set(terms)
    matches: dict[str, bool] = {}  # each distinct word is analyzed once
    hits = []
    for m in _WORD_RE.finditer(text):
        word = m.group()
        if word not in matches:
            matches[word] = not wanted.isdisjoint(_word_terms(word, lang))
        if matches[word]:
            hits.append((m.start(), m.end()))
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


@lru_cache(maxsize=100_000)
def _word_terms(word: str, lang: str | None) -> frozenset[str]:
    """The index terms of one word of text; cached, as the same words recur in every snippet."""
    return frozenset(analyze(word, lang))


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
