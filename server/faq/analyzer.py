# ruff: noqa: RUF001, RUF002, RUF003  (Cyrillic and Latin letters side by side, on purpose)
"""The one text analyzer of FAQ search: the terms that every engine indexes and queries.

Pure functions, no I/O. `analyze()` turns an article field into index terms, `analyze_query()`
turns what a user typed into a `Query`. Both fold case and diacritics the same way, split words
the same way and stem with the same light stemmer, so SQLite FTS5 and PostgreSQL only ever see
plain alphanumeric terms and never parse a user's syntax.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .stemmers import CYRILLIC_LANGUAGES, STEMMERS, stem_cyrillic, stem_english, stem_latin
from .stopwords import STOP_WORDS

MAX_TOKEN_LENGTH = 40
"""Longer runs of letters are not words (hashes, base64, a held-down key): they are dropped."""
MAX_DOCUMENT_TOKENS = 20_000
MAX_QUERY_CHARS = 1_000
MAX_QUERY_TERMS = 16

# U+0027 ', U+2019 ’, U+02BC ʼ, U+0060 `, U+00B4 ´, U+2018 ‘, U+02B9 ʹ: the apostrophe of
# Ukrainian (зв’язок) and English (customer's) is written with any of them, so none counts.
_APOSTROPHES = frozenset("'\u2019\u02bc`\u00b4\u2018\u02b9")
# Letters with no Unicode decomposition that people still type without their mark.
_SPECIAL = {
    "ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "ı": "i", "ħ": "h",
    "ŀ": "l", "ґ": "г", "\u2010": "-", "\u2011": "-",
}  # fmt: skip
# The breve of й and ў makes a different letter, not an accent: they are kept.
_KEEP = frozenset("йў")
_WORD_RE = re.compile(r"[^\W_]+")
_CHAIN_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Latin letters that look like Cyrillic ones, for words typed with a mixed keyboard ("рахунoк").
_HOMOGLYPHS = str.maketrans("aceiopxyk", "асеіорхук")
_VARIANT_RE = re.compile(r"і([^аеиоуыэюяіїєь]{1,2})$")


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch in _APOSTROPHES:
        return ""
    special = _SPECIAL.get(ch)
    if special is not None:
        return special
    if ch < "\u0080" or ch in _KEEP:
        return ch
    category = unicodedata.category(ch)
    if category[0] == "M":
        return ""  # a stray combining mark, e.g. a stress accent on a Cyrillic vowel
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    decomposed = unicodedata.normalize("NFD", ch)
    if len(decomposed) == 1:
        return ch
    return "".join(c for c in decomposed if unicodedata.category(c)[0] != "M")


def fold(text: str) -> str:
    """Case and diacritics folding: NFKC, casefold, Latin accents off, ё→е, ї→і, ґ→г, no '."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(_fold_char(ch) for ch in text)


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u052f"


def _fix_mixed_script(token: str) -> str:
    if token.isascii() or not any(_is_cyrillic(c) for c in token):
        return token
    return token.translate(_HOMOGLYPHS)


def _iter_tokens(folded: str, limit: int) -> Iterator[str]:
    count = 0
    for match in _WORD_RE.finditer(folded):
        token = match.group()
        if len(token) > MAX_TOKEN_LENGTH:
            continue
        yield _fix_mixed_script(token)
        count += 1
        if count >= limit:
            return


def tokenize(text: str, limit: int = MAX_DOCUMENT_TOKENS) -> list[str]:
    """Folded words (runs of letters and digits) of `text`, at most `limit` of them."""
    return list(_iter_tokens(fold(text), limit))


def stem(term: str, lang: str | None) -> str:
    """The light stem of a folded term; a word in another script than `lang`'s goes by script."""
    if not term.isalpha():
        return term  # numbers and codes (2fa, 24, v2) are matched as written
    cyrillic = _is_cyrillic(term[0])
    stemmer = STEMMERS.get(lang or "")
    if stemmer is not None and cyrillic == (lang in CYRILLIC_LANGUAGES):
        return stemmer(term)
    if cyrillic:
        return stem_cyrillic(term)
    if lang in CYRILLIC_LANGUAGES:
        return stem_english(term)  # Latin words in Cyrillic articles are mostly English
    return stem_latin(term)


def variants(term: str, stemmed: str, lang: str | None) -> tuple[str, ...]:
    """Other stems the same word takes: Ukrainian і in a closed last syllable (вхід / входу)."""
    if lang != "uk" or stemmed != term:
        return ()
    match = _VARIANT_RE.search(stemmed)
    if match is None or match.start() < 2:
        return ()
    head, tail = stemmed[: match.start()], match.group(1)
    return (f"{head}о{tail}", f"{head}е{tail}")


def _iter_index_words(folded: str, limit: int) -> Iterator[str]:
    """Words, and after a hyphenated compound its joined form too (check-in → checkin)."""
    count = 0
    for match in _CHAIN_RE.finditer(folded):
        parts = match.group().split("-")
        if len(parts) > 1 and all(part.isalpha() for part in parts):
            parts.append("".join(parts))
        for part in parts:
            if len(part) > MAX_TOKEN_LENGTH:
                continue
            yield _fix_mixed_script(part)
            count += 1
            if count >= limit:
                return


def analyze(text: str, lang: str | None) -> list[str]:
    """Index terms of an article field: folded, stemmed, stop words kept, variants appended."""
    terms: list[str] = []
    for token in _iter_index_words(fold(text), MAX_DOCUMENT_TOKENS):
        stemmed = stem(token, lang)
        terms.append(stemmed)
        terms.extend(variants(token, stemmed, lang))
    return terms


def analyze_words(text: str, lang: str | None) -> list[tuple[str, str]]:
    """(folded word, stem) pairs: what a vocabulary for typo and prefix matching stores."""
    words = _iter_index_words(fold(text), MAX_DOCUMENT_TOKENS)
    return [(token, stem(token, lang)) for token in words]


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One word of a query: as typed (folded), its stem, and what else matches it exactly."""

    word: str
    stem: str
    variants: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    prefix: bool = False

    @property
    def exact(self) -> tuple[str, ...]:
        return (self.stem, *self.variants)


@dataclass(frozen=True, slots=True)
class Query:
    """An analyzed query. Its terms are safe to put in any engine's query once quoted."""

    lang: str | None
    terms: tuple[QueryTerm, ...]

    @property
    def is_prefix(self) -> bool:
        return bool(self.terms) and self.terms[-1].prefix

    def __bool__(self) -> bool:
        return bool(self.terms)


Synonyms = Mapping[str, frozenset[str]]


def compile_synonyms(
    groups: Iterable[Sequence[str]], lang: str | None
) -> dict[str, frozenset[str]]:
    """Site synonym groups as stem → the stems of the other one-word members of its groups.

    Members of several words are skipped: a group maps words, not phrases.
    """
    table: dict[str, set[str]] = {}
    for group in groups:
        stems = set()
        for member in group:
            tokens = list(_iter_tokens(fold(member), 2))
            if len(tokens) == 1:
                stems.add(stem(tokens[0], lang))
        for one in stems:
            table.setdefault(one, set()).update(stems - {one})
    return {key: frozenset(value) for key, value in table.items() if value}


def analyze_query(
    text: str,
    lang: str | None,
    synonyms: Iterable[Sequence[str]] | Synonyms | None = None,
) -> Query:
    """What a user typed, as a `Query`. Never raises; any string is safe.

    The last word is a prefix when nothing follows it (the user is still typing). Stop words
    are dropped unless the query has nothing else.
    """
    truncated = len(text) > MAX_QUERY_CHARS
    folded = fold(text[:MAX_QUERY_CHARS])
    tokens = list(_iter_tokens(folded, MAX_QUERY_TERMS * 4))
    if not tokens:
        return Query(lang, ())
    table = _as_table(synonyms, lang)
    stop = STOP_WORDS.get(lang or "", frozenset())
    last_is_prefix = not truncated and folded[-1:].isalnum() and len(tokens) < MAX_QUERY_TERMS * 4
    indexed = list(enumerate(tokens))
    kept = [(i, t) for i, t in indexed if t not in stop] or indexed
    terms = []
    for i, token in _dedupe(kept)[:MAX_QUERY_TERMS]:
        stemmed = stem(token, lang)
        synonym_stems = tuple(sorted(table.get(stemmed, frozenset())))
        prefix = last_is_prefix and i == len(tokens) - 1
        alike = variants(token, stemmed, lang)
        terms.append(QueryTerm(token, stemmed, alike, synonym_stems, prefix))
    return Query(lang, tuple(terms))


def _dedupe(tokens: list[tuple[int, str]]) -> list[tuple[int, str]]:
    seen: dict[str, int] = {}
    for i, token in tokens:
        seen[token] = i  # a repeated word counts once, at its last position
    return sorted(((i, t) for t, i in seen.items()), key=lambda pair: pair[0])


def _as_table(synonyms: Iterable[Sequence[str]] | Synonyms | None, lang: str | None) -> Synonyms:
    if synonyms is None:
        return {}
    if isinstance(synonyms, Mapping):
        return synonyms
    return compile_synonyms(synonyms, lang)
