"""A site's theme as a pure function: what is accepted, how it is stored, what it warns about."""

from __future__ import annotations

from typing import Any

import pytest

from helpmenu.sites.theme import (
    FONT_STACKS,
    ThemeError,
    check_theme,
    contrast_issues,
    font_choice,
    validate_theme,
)


def test_values_are_normalised_and_defaults_dropped() -> None:
    theme, errors = check_theme({
        "colorPrimary": " #ABC ", "colorText": "#0F766E", "radius": "12px", "offsetX": 0,
        "offsetY": " 40 ", "zIndex": 10, "fontFamily": "serif", "position": "right",
        "launcher": "icon", "scheme": "light", "colorAccent": "", "colorBackground": None,
    })
    assert errors == {}
    assert theme == {
        "colorPrimary": "#aabbcc", "colorText": "#0f766e", "radius": "12px", "offsetX": "0px",
        "offsetY": "40px", "zIndex": "10", "fontFamily": FONT_STACKS["serif"], "launcher": "icon",
    }
    assert check_theme({"fontFamily": "system", "position": "right", "scheme": "light"}) == ({}, {})


@pytest.mark.parametrize(
    "raw",
    [
        {"colorPrimary": "rgb(0, 0, 0)"}, {"colorPrimary": "#gggggg"}, {"colorText": 123},
        {"colorAccent": "#fff;"}, {"radius": "1.5"}, {"radius": "33"}, {"offsetX": "-5"},
        {"offsetY": "99999999999"}, {"zIndex": "-1"}, {"zIndex": "1px"},
        {"fontFamily": "Arial;color:red"}, {"fontFamily": "a{}"}, {"fontFamily": "x\\y"},
        {"fontFamily": "'Open Sans\" , x"}, {"fontFamily": "var(--x)"}, {"fontFamily": 7},
        {"fontFamily": "<b>"}, {"fontFamily": "Arial,,serif"}, {"fontFamily": "a" * 201},
        {"position": "center"}, {"launcher": ""}, {"scheme": "DARK"}, {"colour": "#fff"},
    ],
)
def test_bad_values_are_refused(raw: dict[str, Any]) -> None:
    theme, errors = check_theme(raw)
    if raw.get("launcher") == "":  # empty means the default, not a mistake
        assert errors == {} and theme == {}
        return
    assert list(errors) == list(raw)
    with pytest.raises(ThemeError) as caught:
        validate_theme(raw)
    assert caught.value.field == next(iter(raw))


def test_custom_font_stacks_are_kept_tidy() -> None:
    assert validate_theme({"fontFamily": "  'Fira Sans' ,Inter,   system-ui  "}) == {
        "fontFamily": "'Fira Sans', Inter, system-ui"}
    assert validate_theme({"fontFamily": '"Noto Sans Ukrainian", sans-serif'})
    assert font_choice(FONT_STACKS["mono"]) == ("mono", "")
    assert font_choice(None) == ("system", "")
    assert font_choice("Inter, sans-serif") == ("custom", "Inter, sans-serif")


def test_contrast_is_checked_in_each_scheme_the_widget_can_show() -> None:
    assert contrast_issues({}) == []
    assert contrast_issues({"scheme": "dark"}) == []
    # White text chosen for a light theme fails in light mode only.
    issues = contrast_issues({"colorText": "#ffffff", "scheme": "auto"})
    assert [(i.scheme, i.pair) for i in issues] == [("light", "text")]
    assert issues[0].ratio == 1.0 and issues[0].shown != "#ffffff"
    # A dark background in light mode leaves the default dark text, grey and links unreadable.
    pairs = {i.pair for i in contrast_issues({"colorBackground": "#111827"})}
    assert pairs == {"text", "muted", "primary_text"}


def test_ratios_are_rounded_down() -> None:
    (issue,) = contrast_issues({"colorText": "#777777", "colorBackground": "#ffffff"})
    # #777 on #f5f6fa is 4.1:1, the worse of the two grounds; never shown rounded up to 4.5.
    assert issue.ratio == 4.1
