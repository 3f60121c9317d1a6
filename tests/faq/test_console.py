"""The console's FAQ pages: list, write, preview, publish, translate, categories, synonyms,
images, insights; CSRF, site scoping, and every string from the locale files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from helpmenu.faq import console as faq_console
from helpmenu.settings import Settings
from tests.conftest import HOST_ORIGIN, SiteFixture, make_site
from tests.console.conftest import PATH, csrf_of, logged_in, make_staff
from tests.faq.conftest import auth, session_token

FAQ = Path(faq_console.__file__).parent


def _staff_client(client: TestClient, settings: Settings, site: SiteFixture) -> TestClient:
    staff = make_staff(settings, email="writer@example.com", roles={site.id: "agent"})
    return logged_in(client, staff)


def test_write_preview_publish_and_read_it_in_the_widget(
    client: TestClient, settings: Settings, site: SiteFixture, clock,  # type: ignore[no-untyped-def]
) -> None:
    console = _staff_client(client, settings, site)
    page = console.get(f"{PATH}/faq")
    assert page.status_code == 200 and "faq-console.css" in page.text
    editor = console.get(f"{PATH}/faq/new")
    token = csrf_of(editor.text)
    form = {"csrf_token": token, "id": "", "translation_key": "wifi", "lang": "en",
            "title": "Guest Wi-Fi password", "tags": "wifi, internet", "status": "draft",
            "category": "", "body": "Find it on the **key card**.\n\n<script>alert(1)</script>"
            "<img src=x onerror=alert(2)>[x](javascript:alert(3))"}
    preview = console.post(f"{PATH}/faq/save", data={**form, "action": "preview"})
    assert preview.status_code == 200
    assert "<strong>key card</strong>" in preview.text
    shown = preview.text.split('class="kb-content"', 1)[1].split("</section>")[0]
    assert "<script" not in shown and "onerror" not in shown and 'href="javascript' not in shown
    saved = console.post(f"{PATH}/faq/save", data={**form, "action": "publish"},
                         follow_redirects=False)
    assert saved.status_code == 303
    article_url = saved.headers["location"].split("?")[0]
    article_id = int(article_url.rsplit("/", 1)[1])
    widget = session_token(site, settings, clock)
    found = client.get("/api/faq/search", params={"q": "wifi password", "lang": "en"},
                       headers=auth(widget)).json()["results"]
    assert [r["id"] for r in found] == [article_id]
    shown = client.get(f"/api/faq/articles/{article_id}", headers=auth(widget)).json()
    assert "<script" not in shown["html"] and "onerror" not in shown["html"]
    assert 'href="javascript' not in shown["html"]
    # unpublish: readers no longer find it
    console.post(f"{PATH}/faq/save", data={**form, "id": str(article_id), "status": "published",
                                          "action": "unpublish"})
    assert client.get("/api/faq/search", params={"q": "wifi", "lang": "en"},
                      headers=auth(widget)).json()["results"] == []
    # a translation: same key, another language, the text to translate prefilled
    new = console.get(f"{PATH}/faq/new", params={"key": "wifi", "lang": "uk",
                                                 "source": str(article_id)})
    assert 'value="wifi"' in new.text and "Guest Wi-Fi password" in new.text


def test_bad_input_shows_the_form_again(
    client: TestClient, settings: Settings, site: SiteFixture
) -> None:
    console = _staff_client(client, settings, site)
    token = csrf_of(console.get(f"{PATH}/faq/new").text)
    bad = console.post(f"{PATH}/faq/save", data={
        "csrf_token": token, "translation_key": "Bad Key", "lang": "en", "title": "T",
        "body": "b", "action": "save"})
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
    no_csrf = console.post(f"{PATH}/faq/save", data={"translation_key": "k", "lang": "en",
                                                     "title": "T", "body": "b"})
    assert no_csrf.status_code == 403


def test_categories_synonyms_images_and_insights(
    client: TestClient, settings: Settings, site: SiteFixture
) -> None:
    console = _staff_client(client, settings, site)
    token = csrf_of(console.get(f"{PATH}/faq/categories").text)
    saved = console.post(f"{PATH}/faq/categories", data={
        "csrf_token": token, "key": "billing", "name_en": "Billing", "name_uk": "Рахунки"},
        follow_redirects=True)
    assert saved.status_code == 200 and "Рахунки" in saved.text
    console.post(f"{PATH}/faq/synonyms", data={"csrf_token": token,
                                               "synonyms": "invoice, bill\nbooking, reservation"})
    assert "invoice, bill" in console.get(f"{PATH}/faq/synonyms").text
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    up = console.post(f"{PATH}/faq/images", data={"csrf_token": token},
                      files={"file": ("a.svg", png, "image/svg+xml")}, follow_redirects=True)
    name = re.search(r"/api/faq/images/([A-Za-z0-9_-]+\.png)", up.text)
    assert name, up.text
    image = client.get(f"/api/faq/images/{name.group(1)}")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.headers["x-content-type-options"] == "nosniff"
    svg = console.post(f"{PATH}/faq/images", data={"csrf_token": token},
                       files={"file": ("a.png", b"<svg onload=alert(1)>", "image/png")})
    assert svg.status_code == 422
    assert client.get("/api/faq/images/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert console.get(f"{PATH}/faq/insights").status_code == 200


def test_another_sites_articles_are_not_found(
    client: TestClient, settings: Settings, site: SiteFixture
) -> None:
    other = make_site(settings, name="Other", allowed_origins=[HOST_ORIGIN])
    owner = make_staff(settings, email="owner@example.com", roles={other.id: "admin"})
    owner_client = logged_in(client, owner)
    token = csrf_of(owner_client.get(f"{PATH}/faq/new").text)
    saved = owner_client.post(f"{PATH}/faq/save", data={
        "csrf_token": token, "translation_key": "secret", "lang": "en", "title": "Secret",
        "body": "b", "action": "publish"}, follow_redirects=False)
    secret_url = saved.headers["location"].split("?")[0]
    owner_client.post(f"{PATH}/logout", data={"csrf_token": token})
    console = _staff_client(client, settings, site)
    assert console.get(secret_url.replace("http://testserver", "")).status_code == 404


@pytest.mark.parametrize("locale", ["en", "uk"])
def test_every_console_string_comes_from_the_faq_locales(locale: str) -> None:
    catalogue = json.loads((FAQ / "locales" / f"{locale}.json").read_text("utf-8"))
    english = json.loads((FAQ / "locales" / "en.json").read_text("utf-8"))
    assert set(catalogue) == set(english) and all(v.strip() for v in catalogue.values())
    used: set[str] = set()
    expansions = {
        "kb.tab.": faq_console.TABS,
        "kb.status.": ("draft", "published"),
        "kb.notice.": ("saved", "published", "unpublished", "deleted", "uploaded"),
        "kb.field.": ("title", "body", "lang", "status", "translation_key", "category", "tags",
                      "key", "names", "parent", "front_matter", "directory", "synonyms"),
    }
    for path in (FAQ / "templates").glob("*.html"):
        text = path.read_text("utf-8")
        literal = re.findall(r"""\bt\(\s*["']([^"']+)["']""", text)
        used |= {k for k in literal if k.startswith("kb.") and not k.endswith(".")}
        for prefix in re.findall(r"""\bt\(\s*["'](kb\.[^"']+)["']\s*~""", text):
            used |= {prefix + suffix for suffix in expansions[prefix]}
        bare = re.sub(r"{[{%#].*?[}%#]}", "", text, flags=re.S)
        words = [w for chunk in re.findall(r">([^<>]+)<", bare) for w in chunk.split()]
        # (the Markdown of an image is code to copy, not a sentence)
        assert [w for w in words if any(c.isalpha() for c in w)
                and not w.startswith("![](")] == [], path.name
    assert used - set(catalogue) == set()
    assert set(catalogue) - used == set(), "unused keys"
