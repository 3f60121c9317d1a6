"""The sanitizer, Markdown rendering, the import/export format, and the index following edits,
publishing and deletion (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from helpmenu.faq.content import plain_text, render_markdown
from helpmenu.faq.images import ImageError, sniff
from helpmenu.faq.kbfiles import export_directory, format_article, import_directory, parse_article
from helpmenu.faq.search import driver_fetch, search_articles
from helpmenu.faq.service import (
    ArticleInput,
    FaqError,
    delete_article,
    find_article,
    parse_synonyms,
    save_article,
    save_category,
    set_status,
)
from helpmenu.sanitize import clean_html
from helpmenu.settings import Settings
from tests.conftest import NOW, SiteFixture, shared_data
from tests.faq.conftest import DEMO_KB, run_db


class Elements(HTMLParser):
    """Every tag and attribute of some HTML, as a browser's parser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def dangers(html: str) -> list[str]:
    bad = []
    for tag, attrs in Elements(html).found:
        if tag in {"script", "svg", "math", "style", "iframe", "object", "embed", "form"}:
            bad.append(tag)
        for name, value in attrs:
            url = re.sub(r"\s", "", value or "").lower()
            if name.startswith("on") or name == "style" or url.startswith(
                    ("javascript:", "data:", "vbscript:")):
                bad.append(f"{tag} {name}={value}")
    return bad


def test_every_xss_payload_comes_out_inert() -> None:
    payloads = shared_data("xss_payloads_quick.txt").read_text(encoding="utf-8").splitlines()
    assert len(payloads) > 10
    for payload in payloads:
        for html in (clean_html(payload), render_markdown(payload),
                     render_markdown(f"[x]({payload})"), render_markdown(f"![x]({payload})")):
            assert dangers(html) == [], (payload, html)


def test_the_checker_sees_danger() -> None:
    assert dangers('<img src=x onerror="alert(1)"><a href=" JaVaScRiPt:x">a</a><svg></svg>') == [
        "img onerror=alert(1)", "a href= JaVaScRiPt:x", "svg"]
    assert dangers("<p>text about onerror=alert(1) and javascript:</p>") == []


def test_links_images_and_what_is_dropped() -> None:
    html = render_markdown(
        "[Docs](https://example.com/help) ![logo](https://evil.example/x.png) "
        "![ours](/api/faq/images/AbCdEfGh1234.png) <iframe src=x></iframe>"
        "<style>body{}</style><b onclick=x>bold</b>", "https://help.example.com")
    assert '<a href="https://example.com/help" rel="noopener noreferrer nofollow">Docs</a>' in html
    assert "evil.example" not in html and 'src="/api/faq/images/AbCdEfGh1234.png"' in html
    assert "<iframe" not in html and "body{}" not in html and "<b>bold</b>" in html
    absolute = clean_html('<img src="https://help.example.com/api/faq/images/AbCdEfGh1234.png">',
                          "https://help.example.com")
    assert "AbCdEfGh1234.png" in absolute
    assert "src" not in clean_html('<img src="/api/faq/images/../../etc/passwd">')


def test_plain_text_keeps_words_apart() -> None:
    text = plain_text(render_markdown("# Title\n\n1. one\n2. two\n\nA &amp; B<br>C"))
    assert text.split("\n") == ["Title", "one", "two", "A & B", "C"]


def test_images_are_recognised_by_their_bytes() -> None:
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "png"
    assert sniff(b"\xff\xd8\xff\xe0") == "jpg"
    assert sniff(b"GIF89a...") == "gif"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert sniff(b"<svg onload=alert(1)>") is None
    assert sniff(b"<html>") is None
    assert issubclass(ImageError, ValueError)


def test_front_matter_round_trip() -> None:
    text = (DEMO_KB / "uk" / "cancel-reservation.md").read_text(encoding="utf-8")
    value = parse_article(text)
    assert value.translation_key == "cancel-reservation" and value.lang == "uk"
    assert value.category_key == "reservations" and "незаїзд" in value.tags
    assert parse_article(format_article(value)) == value
    with pytest.raises(FaqError):
        parse_article("no front matter")
    with pytest.raises(FaqError):
        parse_article("---\ntitle: x\n---\nbody")


def test_synonym_lines() -> None:
    assert parse_synonyms("бронювання, резервація\n- [invoice, bill, invoice]\nalone\n\n") == [
        ["бронювання", "резервація"], ["invoice", "bill"]]


def _search(settings: Settings, site_id: int, text: str, lang: str = "en") -> list[str]:
    async def run(session: Any) -> list[str]:
        fetch = await driver_fetch(session)
        return [h.translation_key for h in await search_articles(fetch, site_id, text, lang)]

    return run_db(settings, run)


def test_the_index_follows_edits_publishing_and_deletion(
    settings: Settings, site: SiteFixture
) -> None:
    def save(**changes: Any) -> None:
        async def run(session: Any) -> None:
            values = {"translation_key": "kettle", "lang": "en", "title": "Kettle descaling",
                      "body": "Use vinegar.", "tags": ["kitchen"], "status": "published"}
            values.update(changes)
            await save_article(session, site.id, ArticleInput(**values), now=NOW)

        run_db(settings, run)

    save()
    assert _search(settings, site.id, "vinegar") == ["kettle"]
    assert _search(settings, site.id, "descal") == ["kettle"]  # a half-typed word
    save(body="Use citric acid.")
    assert _search(settings, site.id, "vinegar") == []
    assert _search(settings, site.id, "citric") == ["kettle"]
    save(body="Use citric acid.", status="draft")
    assert _search(settings, site.id, "citric") == []

    async def publish_then_delete(session: Any) -> None:
        article = await find_article(session, site.id, "kettle", "en")
        await set_status(session, article, "published", NOW)

    run_db(settings, publish_then_delete)
    assert _search(settings, site.id, "citric") == ["kettle"]

    async def delete(session: Any) -> None:
        await delete_article(session, await find_article(session, site.id, "kettle", "en"))

    run_db(settings, delete)
    assert _search(settings, site.id, "citric kettle") == []

    async def leftovers(session: Any) -> list[int]:
        fetch = await driver_fetch(session)
        counts = []
        for table in ("faq_docs", "faq_postings", "faq_term_stats", "faq_words", "faq_word_keys"):
            rows = await fetch(f"SELECT COUNT(*) FROM {table} WHERE "  # noqa: S608 - fixed names
                               + ("article_id > 0" if table == "faq_docs" else "site_id = :s"),
                               {"s": site.id})
            counts.append(rows[0][0])
        return counts

    assert run_db(settings, leftovers) == [0, 0, 0, 0, 0]


def test_bad_input_is_refused(settings: Settings, site: SiteFixture) -> None:
    bad = [
        {"translation_key": "Has Spaces"}, {"lang": "english!"}, {"title": "  "},
        {"title": "x" * 301}, {"status": "secret"}, {"category_key": "missing"},
    ]
    for changes in bad:
        async def run(session: Any, changes: dict[str, Any] = changes) -> None:
            values = {"translation_key": "ok", "lang": "en", "title": "T", "body": "b"}
            values.update(changes)
            await save_article(session, site.id, ArticleInput(**values), now=NOW)

        with pytest.raises(FaqError):
            run_db(settings, run)

    async def nested(session: Any) -> None:
        await save_category(session, site.id, "top", {"en": "Top"})
        await save_category(session, site.id, "child", {"en": "Child"}, parent_key="top")
        await save_category(session, site.id, "grandchild", {"en": "No"}, parent_key="child")

    with pytest.raises(FaqError):  # one level of nesting only
        run_db(settings, nested)


def test_export_then_import_elsewhere_gives_the_same_files(
    settings: Settings, site: SiteFixture, tmp_path: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    run_db(settings, lambda s: import_directory(s, site.id, DEMO_KB, now=NOW))
    report = run_db(settings, lambda s: export_directory(s, site.id, first))
    assert report.articles == 72 and report.categories == 10 and report.synonyms > 20
    again = run_db(settings, lambda s: import_directory(s, site.id, first, now=NOW))
    assert again.articles == 72
    run_db(settings, lambda s: export_directory(s, site.id, second))
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in names:
        assert (first / name).read_text("utf-8") == (second / name).read_text("utf-8")
