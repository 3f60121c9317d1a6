"""One-letter typos and half-typed words, found against a site's vocabulary without scanning it.

Symmetric delete (as in SymSpell): every word is stored under itself and each of its one-letter
deletions. Two words within one edit (insert, delete, substitute, swap two neighbours) always share
such a key, so a lookup touches only the rows whose key is one of the query word's `deletes()`;
`within_one_edit()` then drops the few false neighbours ("abcx" and "axbc" share "abc").

A database stores the same thing as rows `faq_terms(site, lang, word, stem, delete_key)`: one row
per key of each indexed word. `Vocabulary` is the in-memory equivalent.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

MIN_TYPO_LENGTH = 4
"""Shorter words have too many neighbours at one edit to guess which one was meant."""
MAX_PREFIX_EXPANSIONS = 64


def deletes(word: str) -> set[str]:
    """The word and every string made by deleting one of its letters: its lookup keys."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True  # one substitution
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    return a[i:] == b[i + 1 :]  # one insertion into a


class Vocabulary:
    """The indexed words of one site and language, each with its stem, for typos and prefixes."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._stems: dict[str, set[str]] = {}
        # Built on the first `near()`: a search's vocabulary mostly serves prefixes and exact
        # terms, and the delete keys of a hundred completions would be built for nothing.
        self._keys: dict[str, set[str]] | None = None
        self._sorted: list[str] | None = None
        for word, stem in pairs:
            self.add(word, stem)

    def add(self, word: str, stem: str) -> None:
        """Remember a folded word and the stem it was indexed under (stems are words too)."""
        for entry, entry_stem in ((word, stem), (stem, stem)):
            known = self._stems.setdefault(entry, set())
            if entry_stem in known:
                continue
            known.add(entry_stem)
            self._sorted = None
            if self._keys is not None and len(known) == 1:
                for key in deletes(entry):
                    self._keys.setdefault(key, set()).add(entry)

    def __contains__(self, stem: object) -> bool:
        return isinstance(stem, str) and stem in self._stems.get(stem, ())

    def __len__(self) -> int:
        return len(self._stems)

    def near(self, word: str) -> set[str]:
        """Stems of the indexed words one edit away from `word` (itself excluded)."""
        if len(word) < MIN_TYPO_LENGTH:
            return set()
        if self._keys is None:
            self._keys = {}
            for entry in self._stems:
                for key in deletes(entry):
                    self._keys.setdefault(key, set()).add(entry)
        found: set[str] = set()
        for key in deletes(word):
            for entry in self._keys.get(key, ()):
                if entry != word and within_one_edit(entry, word):
                    found.update(self._stems[entry])
        return found

    def with_prefix(self, prefix: str, limit: int = MAX_PREFIX_EXPANSIONS) -> set[str]:
        """Stems of the indexed words that start with `prefix` (at most `limit` words)."""
        if not prefix:
            return set()
        if self._sorted is None:
            self._sorted = sorted(self._stems)
        words = self._sorted
        found: set[str] = set()
        start = bisect_left(words, prefix)
        for word in words[start : start + limit]:
            if not word.startswith(prefix):
                break
            found.update(self._stems[word])
        return found
