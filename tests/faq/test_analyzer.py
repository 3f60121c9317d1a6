# ruff: noqa: RUF001, RUF003  (Cyrillic and Latin letters side by side, on purpose)
"""The pure FAQ search core: folding, stemming, typos, prefixes, ranking, snippets, and an
in-memory evaluation on the demo knowledge base that the database engines must reproduce."""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpmenu.faq import (
    CorpusStats,
    Vocabulary,
    analyze,
    analyze_article,
    analyze_query,
    article_words,
    compile_synonyms,
    deletes,
    expand_query,
    fold,
    group_terms,
    rank,
    ranking,
    snippet,
    stem,
    tokenize,
    within_one_edit,
)
from helpmenu.faq.analyzer import MAX_QUERY_TERMS, MAX_TOKEN_LENGTH
from helpmenu.faq.ranking import Alternative, MatchKind

REPO = Path(__file__).resolve().parents[2]
DEMO_KB = REPO / "examples" / "demo-kb"
QUERIES = REPO / "bench" / "faq_queries"
BLNS = REPO.parent / "shared" / "data" / "blns.json"
TERM = re.compile(r"^[^\W_]+$")


def stems(words: str, lang: str) -> set[str]:
    return {stem(fold(word), lang) for word in words.split()}


# --- folding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Faktuře", "fakture"),
        ("ŘEŠENÍ účtu", "reseni uctu"),
        ("Łódź, Straße", "lodz, strasse"),
        ("Zažluťoučký kůň", "zazlutoucky kun"),
        ("ﬁle №５", "file no5"),
        ("Ёлка", "елка"),
        ("Ґанок", "ганок"),
        ("Їжак", "іжак"),
        ("Йогурт", "йогурт"),  # й is a letter of its own, not и with an accent
        ("зв’язок звʼязок зв'язок", "звязок звязок звязок"),
        ("молоко\u0301", "молоко"),  # a stress mark is dropped
        ("c\u030cesky", "cesky"),  # decomposed input folds like composed input
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_ukrainian_i_and_russian_i_are_not_merged() -> None:
    # і and и are different letters in Ukrainian (кіт / кит); folding them would merge words.
    assert fold("кіт") != fold("кит")
    assert analyze_query("кіт", "uk").terms[0].stem != analyze_query("кит", "uk").terms[0].stem


def test_ukrainian_apostrophe_variants_and_ru_yo_query_the_same() -> None:
    spelled = [analyze_query(q, "uk").terms[0].stem for q in ("зв’язок", "звʼязок", "звязок")]
    assert len(set(spelled)) == 1
    assert analyze_query("счёт", "ru").terms[0].stem == analyze_query("счет", "ru").terms[0].stem


def test_mixed_keyboard_latin_lookalikes_in_a_cyrillic_word() -> None:
    assert tokenize("рахунoк") == tokenize("рахунок")  # a Latin o typed in the middle
    assert tokenize("pasport") == ["pasport"]  # an all-Latin word is left alone


def test_tokenize_limits() -> None:
    assert tokenize("a" * (MAX_TOKEN_LENGTH + 1) + " ok") == ["ok"]
    assert len(tokenize("слово " * 50_000)) == 20_000
    assert tokenize("R-2024-00153, INV_7 ½") == ["r", "2024", "00153", "inv", "7", "1", "2"]


def test_hyphenated_compounds_are_also_indexed_joined() -> None:
    assert stem("checkin", "en") in analyze("Check-in at 14:00", "en")
    assert "email" in analyze("send an e-mail", "en")
    assert "101112" not in analyze("rooms 101-112", "en")  # only words are joined, not numbers


# --- stemming ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "forms"),
    [
        ("uk", "звернення зверненнях зверненням звернень"),
        ("uk", "бронювання бронюванні бронюванням бронювати"),
        ("uk", "рахунок рахунку рахунки рахунків"),
        ("uk", "пароль пароля паролі паролем"),
        ("ru", "бронирование бронирования бронированием бронировании бронировать"),
        ("ru", "счет счета счетов счёт"),
        ("ru", "гость гостя гостей гостю"),
        ("bg", "фактура фактурата фактури"),
        ("bg", "резервация резервацията резервации"),
        ("cs", "faktura faktury fakturou faktuře fakture"),
        ("cs", "rezervace rezervaci rezervací rezervacemi"),
        ("cs", "účet účtu účty účtem"),
        ("cs", "heslo hesla hesel"),
        ("sk", "faktúra faktúry faktúrou faktúre"),
        ("pl", "faktura faktury fakturze fakturą"),
        ("en", "invoices invoice invoicing"),
        ("en", "cancel cancelled cancelling cancellation"),
        ("en", "reservation reservations reserved"),
    ],
)
def test_inflected_forms_share_a_stem(lang: str, forms: str) -> None:
    assert len(stems(forms, lang)) == 1, {w: stem(fold(w), lang) for w in forms.split()}


@pytest.mark.parametrize(
    ("lang", "different"),
    [
        ("uk", "рахунок пароль"),
        ("ru", "гость счет"),
        ("cs", "faktura platba"),
        ("en", "invoice payment"),
    ],
)
def test_different_words_keep_different_stems(lang: str, different: str) -> None:
    assert len(stems(different, lang)) == 2


def test_stems_keep_a_minimum_length() -> None:
    for lang in ("uk", "ru", "bg", "cs", "sk", "pl", "en", None):
        for word in ("ия", "aby", "дні", "ok", "был"):
            assert len(stem(word, lang)) >= min(len(word), 3)


def test_unknown_language_and_foreign_script_are_stemmed_conservatively() -> None:
    assert stem("бронирования", None) == "бронировани"
    assert stem("invoices", "uk") == stem("invoice", "uk")  # an English word in a Ukrainian text
    assert stem("2fa", "en") == "2fa"


def test_ukrainian_i_alternation_matches_both_ways() -> None:
    # вхід / входу: і in a closed last syllable is о or е in the other forms.
    index = set(analyze("Проблеми зі входом", "uk"))
    assert set(analyze_query("вхід", "uk").terms[0].exact) & index
    index = set(analyze("Вхід у систему", "uk"))
    assert set(analyze_query("входу", "uk").terms[0].exact) & index


# --- queries -------------------------------------------------------------------------------


def test_prefix_flag_follows_the_trailing_space() -> None:
    assert analyze_query("скасувати брон", "uk").is_prefix
    assert not analyze_query("скасувати брон ", "uk").is_prefix
    assert not analyze_query("cancel booking?", "en").is_prefix
    assert [t.prefix for t in analyze_query("cancel book", "en").terms] == [False, True]


def test_stop_words_dropped_unless_the_query_is_only_stop_words() -> None:
    assert [t.word for t in analyze_query("how do I cancel a booking", "en").terms] == [
        "cancel",
        "booking",
    ]
    assert [t.word for t in analyze_query("як це", "uk").terms] == ["як", "це"]


def test_synonyms_expand_on_stems() -> None:
    groups = [["бронювання", "резервація"], ["invoice", "bill"], ["two words", "ignored"]]
    query = analyze_query("резервації", "uk", groups)
    assert query.terms[0].synonyms == (stem("бронювання", "uk"),)
    assert analyze_query("bills", "en", groups).terms[0].synonyms == (stem("invoice", "en"),)
    assert "ignored" not in compile_synonyms(groups, "en")


def test_query_length_and_term_count_are_bounded() -> None:
    query = analyze_query("бронювання " * 2000 + "номер", "uk")
    assert len(query.terms) <= MAX_QUERY_TERMS
    assert not query.is_prefix  # the text was cut, so its end is not what the user typed
    many = analyze_query(" ".join(f"w{i}x" for i in range(500)), "en")
    assert len(many.terms) == MAX_QUERY_TERMS


HOSTILE = [
    '"; DROP TABLE faq; --',
    'title:x OR body:* NEAR(a b) "unterminated',
    "NOT AND OR ^ * - + ( ) { } [ ] : ~ \\",
    "🙂🙃 emoji only 👍🏽",
    "\u202ertl override\u202c",
    "\x00\x01 control \ufeff",
    "ﷺ ﷽",
    "a" * 10_000,
    "бронювання " * 1_000,
    "' OR 1=1 --",
]


def _load_blns() -> list[str]:
    if not BLNS.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{BLNS.name} is missing: the shared bad-input corpus must exist in CI")
        pytest.skip("the shared bad-input corpus (shared/data/blns.json) is not present")
    strings: list[str] = json.loads(BLNS.read_text(encoding="utf-8"))
    return strings


def _assert_safe(text: str) -> None:
    for lang in ("uk", "ru", "bg", "cs", "sk", "pl", "en", None, "xx"):
        for indexed in analyze(text, lang):
            assert TERM.match(indexed), (text, indexed)
        query = analyze_query(text, lang, [["a", "b"]])
        for term in query.terms:
            for value in (term.word, *term.exact, *term.synonyms):
                assert TERM.match(value), (text, value)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_give_plain_terms(text: str) -> None:
    _assert_safe(text)


def test_big_list_of_naughty_strings() -> None:
    strings = _load_blns()
    assert len(strings) > 100
    for text in strings:
        _assert_safe(text)
        assert isinstance(snippet(text, {"a"}, "en"), list)


# --- typos ---------------------------------------------------------------------------------


def test_deletes_and_one_edit() -> None:
    assert deletes("faktur") >= {"faktur", "aktur", "fktur", "faktu"}
    assert within_one_edit("faktur", "faktru")  # swapped neighbours
    assert within_one_edit("faktur", "faktura")
    assert within_one_edit("faktur", "fakter")
    assert not within_one_edit("faktur", "fkatru")
    assert not within_one_edit("abcx", "axbc")  # they share a delete key but are 2 edits apart


def test_vocabulary_finds_typos_and_prefixes() -> None:
    vocabulary = Vocabulary(analyze_words_of("Скасування бронювання, повернення коштів", "uk"))
    assert stem("бронювання", "uk") in vocabulary.near("бронюваня")
    assert stem("бронювання", "uk") in vocabulary.near("боронювання")
    assert vocabulary.near("бро") == set()  # too short to guess
    assert vocabulary.with_prefix("брон") == {stem("бронювання", "uk")}
    assert vocabulary.with_prefix("кош") == {stem("коштів", "uk")}


def analyze_words_of(text: str, lang: str) -> set[tuple[str, str]]:
    return article_words(text, "", [], lang)


def test_typos_only_when_nothing_matches_exactly() -> None:
    vocabulary = Vocabulary(analyze_words_of("invoice invoices voice", "en"))
    exact = expand_query(analyze_query("voice ", "en"), vocabulary)
    assert {alt.kind for alt in exact[0]} == {"exact"}
    typo = expand_query(analyze_query("invoce ", "en"), vocabulary)
    assert {alt.term for alt in typo[0] if alt.kind == "typo"} == {stem("invoice", "en")}


# --- ranking and snippets ------------------------------------------------------------------


def test_title_hits_rank_above_body_hits() -> None:
    body = "Some words about rooms and rates. " * 3
    articles = [
        analyze_article("body", "Room types", body + "invoice", [], "en"),
        analyze_article("title", "Invoice", body, [], "en"),
    ]
    vocabulary = Vocabulary(
        pair for a in articles for pair in analyze_words_of(" ".join(a.body), "en")
    )
    groups = expand_query(analyze_query("invoice ", "en"), vocabulary)
    assert [key for key, _ in rank(groups, articles, CorpusStats.from_articles(articles))] == [
        "title",
        "body",
    ]


def test_snippet_highlights_matched_words_of_the_original_text() -> None:
    text = "Виставлений рахунок не можна редагувати. Натисніть «Створити кредит-ноту»."
    terms = group_terms([_alternatives("рахунки")])
    segments = snippet(text, terms, "uk")
    assert "".join(part for part, _ in segments) == text
    assert [part for part, marked in segments if marked] == ["рахунок"]


def _alternatives(word: str) -> tuple[Alternative, ...]:
    exact = analyze_query(word, "uk").terms[0].exact
    return tuple(Alternative(term, MatchKind.EXACT) for term in exact)


def test_snippet_cuts_long_text_around_the_matches() -> None:
    text = ("Lorem ipsum dolor sit amet. " * 20) + "Press Refund next to the payment. " + "x " * 100
    segments = snippet(text, {stem("refund", "en")}, "en", max_len=80)
    joined = "".join(part for part, _ in segments)
    assert joined.startswith("…") and joined.endswith("…")
    assert len(joined) <= 84
    assert ("Refund", True) in segments


def test_ranking_constants_are_documented() -> None:
    doc = (REPO / "docs" / "search.md").read_text(encoding="utf-8")
    for name, spec in ranking.FIELDS.items():
        assert f"| {name}: `boost`, `b` | {spec.boost}, {spec.b} |" in doc
    assert f"| `k1` | {ranking.K1} |" in doc
    assert f"{ranking.PROXIMITY}, window {ranking.PROXIMITY_WINDOW}" in doc
    for kind, weight in ranking.WEIGHTS.items():
        assert f"| `{kind}` | {weight} |" in doc


# --- the evaluation on the demo knowledge base ---------------------------------------------


@dataclass(frozen=True)
class Article:
    key: str
    lang: str
    title: str
    tags: list[str]
    body: str


def read_article(path: Path) -> Article:
    """The demo format (docs/search.md): `---`, `key: value` lines, `---`, Markdown."""
    _, header, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = dict(line.split(": ", 1) for line in header.strip().splitlines())
    tags = [tag.strip() for tag in meta["tags"].strip("[]").split(",") if tag.strip()]
    assert meta["status"] == "published"
    return Article(meta["translation_key"], meta["language"], meta["title"], tags, body)


def read_synonyms() -> list[list[str]]:
    lines = (DEMO_KB / "_synonyms.yml").read_text(encoding="utf-8").splitlines()
    return [
        [word.strip() for word in line.strip()[3:-1].split(",")]
        for line in lines
        if line.startswith("- [")
    ]


def demo_articles() -> dict[str, list[Article]]:
    by_lang: dict[str, list[Article]] = defaultdict(list)
    for path in sorted(DEMO_KB.glob("*/*.md")):
        article = read_article(path)
        assert path.parent.name == article.lang and path.stem == article.key
        by_lang[article.lang].append(article)
    return by_lang


def test_demo_kb_shape() -> None:
    by_lang = demo_articles()
    en_keys = {a.key for a in by_lang["en"]}
    assert len(by_lang["uk"]) >= 24 and {a.key for a in by_lang["uk"]} == en_keys
    for lang in ("ru", "cs"):
        assert len(by_lang[lang]) >= 12 and {a.key for a in by_lang[lang]} <= en_keys
    categories = (DEMO_KB / "_categories.yml").read_text(encoding="utf-8")
    for articles in by_lang.values():
        for article in articles:
            words = len(article.body.split())
            assert 120 <= words <= 400, (article.lang, article.key, words)
            text = (DEMO_KB / article.lang / f"{article.key}.md").read_text(encoding="utf-8")
            category = re.search(r"^category: (.+)$", text, re.MULTILINE)
            assert category and f"\n{category.group(1)}:\n" in f"\n{categories}"


class MemoryIndex:
    """What a database engine does, in memory: analyzed fields, a vocabulary, corpus stats."""

    def __init__(self, articles: list[Article], lang: str, synonyms: list[list[str]]) -> None:
        self.lang = lang
        self.synonyms = compile_synonyms(synonyms, lang)
        self.articles = [analyze_article(a.key, a.title, a.body, a.tags, lang) for a in articles]
        self.vocabulary = Vocabulary(
            pair for a in articles for pair in article_words(a.title, a.body, a.tags, lang)
        )
        self.stats = CorpusStats.from_articles(self.articles)

    def search(self, text: str) -> list[str]:
        groups = expand_query(analyze_query(text, self.lang, self.synonyms), self.vocabulary)
        wanted = group_terms(groups)
        candidates = [a for a in self.articles if wanted & a.terms()]
        return [key for key, _ in rank(groups, candidates, self.stats, limit=10)]


def evaluate(lang: str) -> tuple[float, float, float, list[str]]:
    index = MemoryIndex(demo_articles()[lang], lang, read_synonyms())
    rows = (QUERIES / f"{lang}.tsv").read_text(encoding="utf-8").splitlines()[1:]
    hits1 = hits3 = 0
    reciprocal = 0.0
    misses: list[str] = []
    for row in rows:
        query, key, kind = row.split("\t")
        found = index.search(query)
        position = found.index(key) + 1 if key in found else 0
        hits1 += position == 1
        hits3 += 0 < position <= 3
        reciprocal += 1.0 / position if position else 0.0
        if position != 1:
            misses.append(f"{kind}: {query!r} → {key} at {position or '-'} (got {found[:3]})")
    n = len(rows)
    return hits1 / n, hits3 / n, reciprocal / n, misses


@pytest.mark.parametrize("lang", ["uk", "en", "ru", "cs"])
def test_demo_kb_search_quality(lang: str) -> None:
    rows = (QUERIES / f"{lang}.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(rows) >= 25
    success1, success3, mrr, misses = evaluate(lang)
    print(f"{lang}: success@1={success1:.3f} success@3={success3:.3f} MRR={mrr:.3f}")
    print("\n".join(misses))
    assert success1 >= 0.90, misses
    assert success3 >= 0.95, misses
