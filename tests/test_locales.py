"""Every widget locale has the same keys, and every key the widget's code asks for exists."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from helpmenu.sites.contacts import EMAIL_KINDS

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "widget" / "locales"
SOURCES = ROOT / "widget" / "js"

# t('key'), t("key", {...}), t(cond ? 'a' : 'b'), and t(`prefix.${name}`) for a family of keys.
_LITERAL = re.compile(r"\bt\(\s*(['\"])([\w.:-]+)\1")
_TERNARY = re.compile(r"\bt\(\s*[^'\"`()]*?\?\s*'([\w.:-]+)'\s*:\s*'([\w.:-]+)'")
_TEMPLATE = re.compile(r"\bt\(\s*`([\w.:-]+)\$\{")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


# CLDR cardinal plural categories (what Intl.PluralRules(lang).resolvedOptions() lists): a counted
# message has exactly these forms. Czech and Slovak "many" is for fractions ("1,5 minuty").
PLURAL_CATEGORIES = {
    "en": {"one", "other"},
    "bg": {"one", "other"},
    "uk": {"one", "few", "many", "other"},
    "ru": {"one", "few", "many", "other"},
    "pl": {"one", "few", "many", "other"},
    "cs": {"one", "few", "many", "other"},
    "sk": {"one", "few", "many", "other"},
}
ALL_CATEGORIES = {"zero", "one", "two", "few", "many", "other"}
Message = str | dict[str, str]


def is_plural(value: object) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= ALL_CATEGORIES


def flatten(raw: dict[str, Any], prefix: str = "") -> dict[str, Message]:
    """Dotted keys to messages: a text, or a plural message ({category: text})."""
    flat: dict[str, Message] = {}
    for key, value in raw.items():
        if isinstance(value, dict) and not is_plural(value):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def load(lang: str) -> dict[str, Message]:
    return flatten(json.loads((LOCALES / f"{lang}.json").read_text("utf-8")))


def texts(message: Message) -> list[str]:
    return list(message.values()) if isinstance(message, dict) else [message]


def placeholders(message: Message) -> set[str]:
    return {name for text in texts(message) for name in _PLACEHOLDER.findall(text)}


def used_keys(text: str) -> tuple[set[str], set[str]]:
    """Keys the source asks for by name, and prefixes of keys it builds."""
    keys = {m.group(2) for m in _LITERAL.finditer(text)}
    for match in _TERNARY.finditer(text):
        keys.update(match.groups())
    prefixes = {m.group(1) for m in _TEMPLATE.finditer(text)}
    return keys, prefixes


def source_usage() -> tuple[dict[str, str], dict[str, str]]:
    keys: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    for path in sorted(SOURCES.rglob("*.js")):
        found, built = used_keys(path.read_text("utf-8"))
        name = str(path.relative_to(ROOT))
        keys.update(dict.fromkeys(found, name))
        prefixes.update(dict.fromkeys(built, name))
    return keys, prefixes


LANGS = sorted(p.stem for p in LOCALES.glob("*.json"))


def test_the_seven_languages_ship() -> None:
    assert sorted(PLURAL_CATEGORIES) == LANGS


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
def test_locale_has_exactly_the_english_keys(lang: str) -> None:
    english, other = load("en"), load(lang)
    assert sorted(set(english) - set(other)) == [], f"{lang} lacks keys"
    assert sorted(set(other) - set(english)) == [], f"{lang} has keys English lacks"


@pytest.mark.parametrize("lang", LANGS)
def test_values_are_nonempty_text_with_the_english_placeholders(lang: str) -> None:
    english, strings = load("en"), load(lang)
    for key, value in strings.items():
        for text in texts(value):
            assert isinstance(text, str) and text.strip(), key
        if key in english:
            assert placeholders(value) == placeholders(english[key]), key
            for text in texts(value):
                assert set(_PLACEHOLDER.findall(text)) == placeholders(english[key]), (key, text)


@pytest.mark.parametrize("lang", LANGS)
def test_counted_messages_have_the_plural_forms_of_the_language(lang: str) -> None:
    english, strings = load("en"), load(lang)
    plural_keys = {key for key, value in english.items() if isinstance(value, dict)}
    assert {"faq.found", "chat.minutes", "chat.seconds"} <= plural_keys
    for key, value in strings.items():
        if key in plural_keys:
            assert isinstance(value, dict), f"{lang}: {key} needs plural forms"
            assert set(value) == PLURAL_CATEGORIES[lang], (lang, key, sorted(value))
        else:
            assert isinstance(value, str), f"{lang}: {key} is counted in {lang} but not in English"


def test_the_plural_table_is_what_intl_says() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = "console.log(JSON.stringify(Object.fromEntries(process.argv.slice(1).map((l) => " \
             "[l, new Intl.PluralRules(l).resolvedOptions().pluralCategories]))))"
    out = subprocess.run([node, "-e", script, *PLURAL_CATEGORIES], capture_output=True, text=True,
                         check=True).stdout
    assert {lang: set(forms) for lang, forms in json.loads(out).items()} == PLURAL_CATEGORIES


def test_counted_messages_are_given_their_count() -> None:
    plural_keys = [key for key, value in load("en").items() if isinstance(value, dict)]
    sources = "\n".join(path.read_text("utf-8") for path in sorted(SOURCES.rglob("*.js")))
    for key in plural_keys:
        calls = re.findall(rf"\bt\(\s*'{re.escape(key)}'\s*,\s*\{{([^}}]*)\}}", sources)
        assert calls, f"{key} is never called with values"
        for args in calls:
            assert re.search(r"\b(count|n)\b", args), f"t('{key}', {{{args}}}) gives no count or n"


def test_the_loader_and_popup_strings_are_not_counted() -> None:
    # The loader and the popups translate with a plain lookup, not the panel's plural rules.
    for key, value in load("en").items():
        if key.startswith(("loader.", "popup.")):
            assert isinstance(value, str), key


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
def test_locale_is_translated_not_copied(lang: str) -> None:
    english, strings = load("en"), load(lang)
    same = [key for key, value in strings.items() if value == english[key]]
    # Only texts that are the same in every language (names, separators, "Chat", "E-mail").
    assert len(same) <= 8, same


def test_the_scanner_finds_each_form() -> None:
    keys, prefixes = used_keys("t('a.b'); t(\"c.d\", {x}); t(open ? 'e.f' : 'g.h', {when}); t(`nav.${name}`)")
    assert keys == {"a.b", "c.d", "e.f", "g.h"}
    assert prefixes == {"nav."}


def test_every_key_the_code_uses_is_in_english() -> None:
    english = load("en")
    keys, prefixes = source_usage()
    assert keys, "no t('...') calls found: the scanner is broken"
    missing = {key: where for key, where in keys.items() if key not in english}
    assert missing == {}
    for prefix, where in prefixes.items():
        assert any(key.startswith(prefix) for key in english), f"{prefix}* used in {where}"


def test_loader_keys_are_prefixed() -> None:
    keys, _ = source_usage()
    for key, where in keys.items():
        if where.startswith("widget/js/loader"):
            assert key.startswith("loader."), (key, where)


def test_every_section_and_email_kind_has_its_label() -> None:
    english = load("en")
    contract = (SOURCES / "shared" / "contract.js").read_text("utf-8")
    sections = re.findall(r"'(\w+)'", re.search(r"SECTIONS = \[(.*?)\]", contract).group(1))  # type: ignore[union-attr]
    for section in sections:
        assert f"nav.{section}" in english
    for kind in EMAIL_KINDS:
        assert f"contact.kind.{kind}" in english
