"""Every widget locale has the same keys, and every key the widget's code asks for exists."""

from __future__ import annotations

import json
import re
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


def flatten(raw: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def load(lang: str) -> dict[str, str]:
    return flatten(json.loads((LOCALES / f"{lang}.json").read_text("utf-8")))


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


def test_english_and_ukrainian_ship() -> None:
    assert {"en", "uk"} <= set(LANGS)


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
def test_locale_has_exactly_the_english_keys(lang: str) -> None:
    english, other = load("en"), load(lang)
    assert sorted(set(english) - set(other)) == [], f"{lang} lacks keys"
    assert sorted(set(other) - set(english)) == [], f"{lang} has keys English lacks"


@pytest.mark.parametrize("lang", LANGS)
def test_values_are_nonempty_text_with_the_english_placeholders(lang: str) -> None:
    english, strings = load("en"), load(lang)
    for key, value in strings.items():
        assert isinstance(value, str) and value.strip(), key
        if key in english:
            assert set(_PLACEHOLDER.findall(value)) == set(_PLACEHOLDER.findall(english[key])), key


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
