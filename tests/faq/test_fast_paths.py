# ruff: noqa: RUF001  (Cyrillic and Latin letters side by side, on purpose)
"""The fast paths of search give what the plain definitions give: snippets from whitespace tokens
and a token cache against a regex over every word, ranking over stored term strings against term
lists, and the pre-score computed in SQL (SQLite and PostgreSQL) against the formula in Python."""

from __future__ import annotations

import json
import random
import re
from typing import Any

import pytest

from helpmenu.faq import snippets
from helpmenu.faq.analyzer import analyze, analyze_query
from helpmenu.faq.ranking import (
    FEW_TERMS,
    AnalyzedArticle,
    CorpusStats,
    StoredArticle,
    Vocabulary,
    analyze_article,
    article_words,
    expand_query,
    group_terms,
    rank,
)
from helpmenu.faq.search import (
    RANK_CANDIDATES,
    _candidates,
    _Scope,
    _vocabulary,
    driver_fetch,
    search_articles,
    search_site,
    site_context,
)
from helpmenu.faq.service import ArticleInput, save_article
from helpmenu.faq.snippets import Highlighter, Segment
from helpmenu.settings import Settings
from tests.conftest import NOW, SiteFixture, shared_data
from tests.faq.conftest import run_db
from tests.faq.test_analyzer import QUERIES, demo_articles, read_synonyms

# The definition: every word of the text found by one regex, each analyzed on its own.
WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f\u0483-\u0489]|['\u2019\u02bc`](?=\w))*")

TRICKY = [
    "Room, bedroom; rooms! (room) room-service «room» room…room ROOM Rooms'",
    "зв’язок зв'язок звʼязок: зв’язку, «зв’язок»",
    "e\u0301-mail e-mail email\u00a0e-mail\u2009email",
    "check-in check–in checkin CHECK-IN",
    "customer's customers' customer´s",
    "a a a a a",
    "  leading and trailing spaces  ",
    "",
    "рахунoк рахунок рахунку (Latin o in the first)",
    "Faktura fakturu FAKTUŘE faktury.",
]


def reference_snippet(text: str, terms: set[str], lang: str, max_len: int) -> list[Segment]:
    hits = [m.span() for m in WORD.finditer(text) if terms & set(analyze(m.group(), lang))]
    return snippets._segments(text, hits, max_len)


def query_terms(text: str, lang: str, vocabulary: Vocabulary) -> set[str]:
    return group_terms(expand_query(analyze_query(text, lang), vocabulary))


def eval_queries(lang: str) -> list[str]:
    lines = (QUERIES / f"{lang}.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t")[0] for line in lines]


@pytest.mark.parametrize("lang", ["uk", "en", "ru", "cs"])
def test_snippets_match_the_word_by_word_definition(lang: str) -> None:
    articles = demo_articles()[lang]
    vocabulary = Vocabulary(
        pair for a in articles for pair in article_words(a.title, a.body, a.tags, lang))
    texts = [text for a in articles for text in (a.title, a.body)] + TRICKY
    for query in eval_queries(lang):
        terms = query_terms(query, lang, vocabulary)
        highlight = Highlighter(terms, lang)  # one per query, reused over its texts
        for text in texts:
            for max_len in (160, 400):
                assert highlight(text, max_len) == reference_snippet(text, terms, lang, max_len)


def test_snippets_of_naughty_strings_match_the_definition() -> None:
    strings = [s for s in json.loads(shared_data("blns.json").read_text("utf-8"))
               if isinstance(s, str)]
    for text in strings:
        terms = set(analyze(text, "en")[:3])
        highlight = Highlighter(terms, "en")
        assert highlight(text) == reference_snippet(text, terms, "en", 160)
        assert highlight(text + " " + text) == reference_snippet(text + " " + text, terms, "en", 160)


def test_the_token_cache_stays_bounded_and_correct(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snippets, "MAX_CACHED_TOKENS", 40)
    monkeypatch.setattr(snippets, "_caches", {})
    rng = random.Random(3)
    words = [a.title for a in demo_articles()["en"]]
    for _ in range(50):
        text = " ".join(rng.choices(" ".join(words).split(), k=30))
        terms = set(analyze(rng.choice(words), "en"))
        assert Highlighter(terms, "en")(text) == reference_snippet(text, terms, "en", 160)
        assert len(snippets._token_cache("en")._terms) <= 40


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_stored_articles_rank_exactly_as_analyzed_ones(lang: str) -> None:
    articles = demo_articles()[lang]
    analyzed = [analyze_article(a.key, a.title, a.body, a.tags, lang) for a in articles]
    analyzed.append(AnalyzedArticle("repeats", ["a", "a", "a"], [], ["b", "a", "a", "b", "b"]))
    stored = [StoredArticle(a.key, " ".join(a.title), " ".join(a.tags), " ".join(a.body))
              for a in analyzed]
    stats = CorpusStats.from_articles(analyzed)
    vocabulary = Vocabulary(
        pair for a in articles for pair in article_words(a.title, a.body, a.tags, lang))
    many = frozenset(sorted(stats.df)[: FEW_TERMS * 3])
    for plain, fast in zip(analyzed, stored, strict=True):
        for wanted in (frozenset({"a", "b"}), frozenset(plain.body[:3]), many):
            assert fast.counts(wanted) == plain.counts(wanted)
        for name in ("title", "tags", "body"):
            assert fast.length(name) == plain.length(name)
            for term in {*plain.field(name)[:5], "a", "absent"}:
                assert fast.positions(name, term) == plain.positions(name, term)
    for query in [*eval_queries(lang), "a b", "b a"]:
        groups = expand_query(analyze_query(query, lang), vocabulary)
        assert rank(groups, stored, stats, limit=30) == rank(groups, analyzed, stats, limit=30)


# --- the pre-score in SQL ------------------------------------------------------------------

WORDS = ["kettle", "lamp", "towel", "pillow", "blanket", "heater", "window", "balcony", "minibar",
         "safe", "remote", "shower", "kitchen", "parking", "breakfast"]


def test_the_sql_prescore_picks_the_formulas_best_candidates(
    settings: Settings, site: SiteFixture
) -> None:
    """More articles match than are ranked: the statement must keep the best by the formula."""
    rng = random.Random(11)

    async def fill(session: Any) -> None:
        for i in range(70):
            words = rng.choices(WORDS, k=rng.randint(2, 12))
            await save_article(session, site.id, ArticleInput(
                translation_key=f"a{i}", lang="en", title=" ".join(rng.choices(WORDS, k=3)),
                body=" ".join(words), status="published"), now=NOW)

    run_db(settings, fill)
    for query in ("kettle towel", "lamp heater window", "minibar safe", "kettle", "show"):
        chosen, expected = run_db(settings, lambda s, q=query: _both_ways(s, site.id, q))
        assert len(chosen) == min(RANK_CANDIDATES, len(expected))
        cutoff = expected[min(RANK_CANDIDATES, len(expected)) - 1][1]
        for article, score in expected:
            if abs(score - cutoff) > 1e-9:  # a tie at the cut may fall either way
                assert (article in chosen) == (score > cutoff), (query, article)


async def _both_ways(session: Any, site_id: int, text: str) -> tuple[set[int], list[Any]]:
    """The candidates the statement picks, and every matching article by the Python formula
    (sum over query words of the best weight x idf x impact, times the words it holds)."""
    scope = _Scope(await driver_fetch(session), site_id, "en")
    query = analyze_query(text, "en")
    lookup = await _vocabulary(scope, query)
    stats = lookup.stats
    groups = expand_query(query, lookup.vocabulary)
    chosen = {row[0] for row in await _candidates(scope, groups, stats)}
    postings = await scope.rows("SELECT term, article_id, impact FROM faq_postings WHERE"
                                " site_id = :s AND lang = :l AND term IN (:t)",
                                t=sorted(group_terms(groups)))
    assert len(postings) < 300  # every posting was read: no list was cut at its `LIMIT`
    sums: dict[int, float] = {}
    words: dict[int, int] = {}
    for group in groups:
        idf = stats.group_idf(group)
        best: dict[int, float] = {}
        for alt in group:
            for term, article, impact in postings:
                if term == alt.term:
                    best[article] = max(best.get(article, 0.0), alt.weight * idf * impact)
        for article, value in best.items():
            sums[article] = sums.get(article, 0.0) + value
            words[article] = words.get(article, 0) + 1
    scores = {article: sums[article] * words[article] for article in sums}
    return chosen, sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


def test_typo_keys_are_built_lazily_and_follow_later_words() -> None:
    vocabulary = Vocabulary([("invoice", "invoic")])
    assert vocabulary.near("invoce") == {"invoic"}
    vocabulary.add("voucher", "voucher")  # after the keys were built
    assert vocabulary.near("vouchr") == {"voucher"}
    assert vocabulary.near("invoise") == {"invoic"}


def test_the_endpoints_search_reads_the_site_with_its_first_statement(
    settings: Settings, kb_site: SiteFixture
) -> None:
    """`search_site` gives what `search_articles` gives with the site's languages and synonyms
    read beforehand, also for a reader's language the site does not have (de: default first)."""

    async def both(session: Any) -> list[tuple[list[Any], list[Any]]]:
        fetch = await driver_fetch(session)
        languages, synonyms = await site_context(fetch, kb_site.id)
        pairs = []
        for lang, queries in (("uk", "uk"), ("en", "en"), ("de", "en")):
            order = languages if lang in languages else ["uk", *(x for x in languages if x != "uk")]
            members = [member for group in read_synonyms() for member in group]
            for query in [*eval_queries(queries), *members]:
                pairs.append((
                    await search_articles(fetch, kb_site.id, query, lang, languages=order,
                                          synonyms=synonyms),
                    await search_site(fetch, kb_site.id, query, lang, "uk"),
                ))
        return pairs

    for expected, found in run_db(settings, both):
        assert found == expected
