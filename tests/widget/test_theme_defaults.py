"""The widget's default colours live in CSS (widget/css/panel.css) and are repeated where the
console needs them: the contrast warnings (helpmenu.sites.theme) and the live preview's mock panel
(widget/js/preview/styles.js). These tests keep the three in step."""

from __future__ import annotations

import re

import pytest

from helpmenu.sites.theme import DEFAULT_PRIMARY, SCHEME_DEFAULTS
from tests.conftest import ROOT

PANEL_CSS = ROOT / "widget" / "css" / "panel.css"
PREVIEW = ROOT / "widget" / "js" / "preview" / "styles.js"
TOKENS = {"bg": "background", "sf": "surface", "tx": "text", "mu": "muted"}


def defaults(text: str, short: str) -> list[str]:
    """Every fallback of ``--<short>: var(--hm-color-<name>, <default>)`` in order of the file."""
    pattern = rf"--{short}:\s*var\(--hm-color-{TOKENS[short]},\s*(#[0-9a-f]+)\)"
    return [_long(m) for m in re.findall(pattern, text)]


def _long(color: str) -> str:
    digits = color[1:]
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


@pytest.mark.parametrize("source", [PANEL_CSS, PREVIEW], ids=["panel.css", "preview"])
@pytest.mark.parametrize("short", list(TOKENS))
def test_light_and_dark_defaults_match(source: object, short: str) -> None:
    text = source.read_text("utf-8")  # type: ignore[attr-defined]
    found = defaults(text, short)
    # One light default and the dark one (panel.css repeats it for data-scheme=auto).
    assert set(found) == {SCHEME_DEFAULTS["light"][short], SCHEME_DEFAULTS["dark"][short]}
    assert found.count(SCHEME_DEFAULTS["light"][short]) == 1


@pytest.mark.parametrize("source", [PANEL_CSS, PREVIEW], ids=["panel.css", "preview"])
def test_the_primary_and_its_dark_text_variant_match(source: object) -> None:
    text = source.read_text("utf-8")  # type: ignore[attr-defined]
    assert re.search(rf"--p:\s*var\(--hm-color-primary,\s*{DEFAULT_PRIMARY}\)", text)
    # sites.theme.DARK_PRIMARY_TEXT_MIX: the primary as text is mixed 45% with white in the dark.
    assert re.search(r"--pt:\s*color-mix\(in srgb,\s*var\(--p\) 45%,\s*#fff\)", text)
