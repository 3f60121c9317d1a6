"""Every console string comes from the locale files, and both languages have every key."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from helpmenu.console import locales_dir, templates_dir
from helpmenu.console.i18n import LOCALES, pick_locale
from tests.console.conftest import PATH, StaffFixture, logged_in, make_staff

CONSOLE_CODE = templates_dir.parent
LITERAL = re.compile(r"""\bt\(\s*["']([^"']+)["']\s*[,)]""")
DYNAMIC = re.compile(r"""\bt\(\s*["']([^"']+)["']\s*~""")
MARKED = re.compile(r"""\bN_\(\s*"([^"]+)"\s*\)""")
# Keys built in templates from a prefix, with every value the prefix is completed with.
EXPANSIONS = {
    "nav.": ["chats", "requests", "faq", "settings"],
    "role.": ["agent", "admin"],
    "language.": ["en", "uk", "ru", "bg", "cs", "sk", "pl"],
    "day.": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    "settings.emails.kind.": ["general", "billing", "services", "technical", "sales"],
    # The theme page (helpmenu.sites.theme: COLORS, LENGTHS, CHOICES, FONT_STACKS).
    "theme.field.": ["colorPrimary", "colorAccent", "colorText", "colorBackground", "radius",
                     "offsetX", "offsetY"],
    "theme.hint.": ["colorPrimary", "colorAccent", "colorText", "colorBackground"],
    "theme.": [f"{name}.{value}{hint}" for name, values in (
        ("position", ("right", "left")), ("launcher", ("label", "icon", "hidden")),
        ("scheme", ("light", "dark", "auto"))) for value in values for hint in ("", ".hint")],
    "theme.font.": ["system", "sans", "humanist", "serif", "rounded", "mono", "custom"],
    "theme.contrast.pair.": ["on_primary", "text", "muted", "primary_text"],
    "theme.contrast.scheme.": ["light", "dark"],
}
SECTIONS = ["chats", "requests", "faq", "settings"]


def catalogue(locale: str) -> dict[str, str]:
    data = json.loads((locales_dir / f"{locale}.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in templates_dir.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        keys |= set(LITERAL.findall(text))
        for prefix in DYNAMIC.findall(text):
            if prefix in EXPANSIONS:
                keys |= {prefix + suffix for suffix in EXPANSIONS[prefix]}
            else:
                assert prefix == "empty", f"{path.name}: expand t({prefix!r} ~ ...) in this test"
    for path in Path(CONSOLE_CODE).glob("*.py"):
        for key in MARKED.findall(path.read_text(encoding="utf-8")):
            keys.add(key)
            if key.startswith("errors."):
                keys.add(key + "_hint")  # error.html shows the hint under the reason
    for section in SECTIONS:
        keys.add(f"{section}.subtitle")
        if section != "settings":
            keys |= {f"{section}.empty.{part}" for part in ("title", "text", "point1", "point2",
                                                             "point3")}
    return keys


def test_the_expansions_cover_what_the_code_offers() -> None:
    from helpmenu.sites.contacts import EMAIL_KINDS
    from helpmenu.sites.schedule import DAYS
    from helpmenu.sites.service import LOCALES as SITE_LOCALES

    assert EXPANSIONS["day."] == list(DAYS)
    assert EXPANSIONS["language."] == list(SITE_LOCALES)
    assert EXPANSIONS["settings.emails.kind."] == list(EMAIL_KINDS)
    from helpmenu.sites import theme

    assert EXPANSIONS["theme.field."] == [*theme.COLORS, *theme.LENGTHS]
    assert EXPANSIONS["theme.hint."] == list(theme.COLORS)
    assert EXPANSIONS["theme.font."] == [*theme.FONT_STACKS, "custom"]
    assert {e.split(".")[0] for e in EXPANSIONS["theme."]} == set(theme.CHOICES)


def test_every_key_used_is_in_english() -> None:
    missing = sorted(used_keys() - set(catalogue("en")))
    assert not missing, f"used but missing in en.json: {missing}"


@pytest.mark.parametrize("locale", [loc for loc in LOCALES if loc != "en"])
def test_every_english_key_is_translated(locale: str) -> None:
    english, other = catalogue("en"), catalogue(locale)
    assert sorted(set(english) - set(other)) == [], f"missing in {locale}.json"
    assert sorted(set(other) - set(english)) == [], f"unknown keys in {locale}.json"
    assert [k for k, v in other.items() if not v.strip()] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_match_english(locale: str) -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    english = catalogue("en")
    for key, text in catalogue(locale).items():
        assert fields(text) == fields(english[key]), key


def test_no_key_is_left_unused() -> None:
    unused = sorted(set(catalogue("en")) - used_keys())
    assert not unused, f"in en.json but used nowhere: {unused}"


def test_templates_hold_no_bare_words() -> None:
    """Text between tags must come from t(): catches a string typed straight into a template."""
    allowed = {"HelpMenu", "·"}
    for path in templates_dir.glob("*.html"):
        text = re.sub(r"{[{%#].*?[}%#]}", "", path.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"<(svg|template)\b.*?</\1>", "", text, flags=re.S)
        words = [w for chunk in re.findall(r">([^<>]+)<", text) for w in chunk.split()]
        # (attribute text that a macro emits between Jinja tags is no visible word)
        assert [w for w in words if w not in allowed and "=" not in w] == [], path.name


@pytest.mark.parametrize(
    ("header", "locale"),
    [(None, "en"), ("uk-UA,uk;q=0.9,en;q=0.8", "uk"), ("de-DE, en;q=0.5", "en"),
     ("en;q=0.4, uk;q=0.9", "uk"), ("fr, uk;q=bad", "en"), ("*", "en")],
)
def test_the_log_in_page_speaks_the_browsers_language(header: str | None, locale: str) -> None:
    assert pick_locale(header) == locale


def test_a_ukrainian_speaker_gets_ukrainian_pages(
    client: TestClient, site, settings  # type: ignore[no-untyped-def]
) -> None:
    login_page = client.get(f"{PATH}/login", headers={"Accept-Language": "uk"})
    assert 'lang="uk"' in login_page.text and "Вхід до консолі підтримки" in login_page.text
    staff: StaffFixture = make_staff(settings, email="ua@example.com", locale="uk",
                                     roles={site.id: "admin"})
    logged_in(client, staff)
    for path, text in (("/chats", "Немає чатів в очікуванні"), ("/settings", "Зберегти зміни"),
                       ("/account", "Мова консолі")):
        page = client.get(PATH + path)
        assert text in page.text and "Log out" not in page.text
