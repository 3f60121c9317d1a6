"""Console translations: flat JSON files of dotted keys, one per language, in ``locales/``."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from helpmenu.console import locales_dir

LOCALES = ("en", "uk")
DEFAULT = "en"

Translate = Callable[..., str]


def N_(key: str) -> str:
    """Mark a key that code passes to a template; the locale test checks each one exists."""
    return key


@cache
def catalogue(locale: str) -> dict[str, str]:
    data = json.loads((locales_dir / f"{locale}.json").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{locale}.json must hold one object of strings")
    return {str(k): str(v) for k, v in data.items()}


@cache
def _package_catalogue(folder: Path, locale: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((folder / f"{locale}.json").read_text("utf-8"))
    return data


def feature_translator(folder: Path, locale: str) -> Translate:
    """``t`` for a feature package's console pages: its own ``folder/<locale>.json`` first, then
    its English, then the console's own strings (layout, navigation)."""
    mine = _package_catalogue(folder, locale if locale in LOCALES else DEFAULT)
    english = _package_catalogue(folder, DEFAULT)
    console_t = translator(locale)

    def t(key: str, **values: Any) -> str:
        text = mine.get(key) or english.get(key)
        if text is None:
            return console_t(key, **values)
        return text.format_map(values) if values else text

    return t


def translator(locale: str) -> Translate:
    """``t(key, **values)`` for a language, falling back to English for a missing key."""
    texts = catalogue(locale if locale in LOCALES else DEFAULT)
    fallback = catalogue(DEFAULT)

    def t(key: str, **values: Any) -> str:
        text = texts.get(key) or fallback[key]
        return text.format_map(values) if values else text

    return t


def pick_locale(accept_language: str | None) -> str:
    """The console language for a visitor not logged in: the first of ours they accept."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        ranked.append((-quality, position, tag.split("-")[0].lower()))
    for _, _, language in sorted(ranked):
        if language in LOCALES:
            return language
    return DEFAULT
