"""A site's theme: the widget's look, stored per site and sent to the loader with the session.

Pure functions, no I/O. A stored theme holds only what differs from the widget's defaults, keyed
by the names of the JavaScript API (docs/js-api.md, "Theme tokens" and "Theme options"), so the
loader applies it as it is and a host's ``boot({theme})`` overrides it token by token. Values
end up in CSS custom properties, so each is checked against a strict grammar here: colours
``#rgb``/``#rrggbb``, whole pixels within bounds, font stacks of plain family names, enums.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from helpmenu.sites.contrast import (
    MIN_CONTRAST,
    contrast,
    parse_hex,
    readable,
    text_on,
    to_hex,
    worst_contrast,
)

COLORS = ("colorPrimary", "colorAccent", "colorText", "colorBackground")
# Whole pixels: (smallest, largest). Offsets large enough to clear a host's own footer bar.
LENGTHS = {"radius": (0, 32), "offsetX": (0, 240), "offsetY": (0, 240)}
Z_INDEX = (0, 2147483647)
CHOICES = {
    "position": ("right", "left"),
    "launcher": ("label", "icon", "hidden"),
    "scheme": ("light", "dark", "auto"),
}
KEYS = (*COLORS, "fontFamily", *LENGTHS, "zIndex", *CHOICES)

# Font stacks every visitor has, by the name the console shows; "system" is the widget's default.
FONT_STACKS = {
    "system": "",
    "sans": '"Helvetica Neue", Helvetica, Arial, "Noto Sans", sans-serif',
    "humanist": '"Segoe UI", "Noto Sans", Ubuntu, Cantarell, "Open Sans", sans-serif',
    "serif": 'Georgia, Cambria, "Noto Serif", "Times New Roman", serif',
    "rounded": 'ui-rounded, "SF Pro Rounded", "Nunito", "Varela Round", system-ui, sans-serif',
    "mono": 'ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace',
}
FONT_MAX = 200
# A family is a quoted name of letters, digits, spaces, dots, hyphens and underscores, or such an
# unquoted name (which covers the generic families). Nothing else reaches CSS: no ; { } < > \ ( )
# quotes inside names, url() or var().
_FAMILY = re.compile(r'"[\w .\-]+"|\'[\w .\-]+\'|[^\W\d][\w\-]*(?: [\w\-]+)*')

# The panel's own colours (widget/css/panel.css) when a site sets none; tests keep them in step.
DEFAULT_PRIMARY = "#4f46e5"
DEFAULT_ON_PRIMARY = "#ffffff"
SCHEME_DEFAULTS = {
    "light": {"bg": "#ffffff", "sf": "#f5f6fa", "tx": "#111827", "mu": "#5f6b7e"},
    "dark": {"bg": "#161b26", "sf": "#0e121a", "tx": "#eef1f6", "mu": "#9aa4b5"},
}
# In the dark scheme the primary as text is mixed 45% with white (panel.css, --pt).
DARK_PRIMARY_TEXT_MIX = 0.55


class ThemeError(ValueError):
    """A theme value is not valid; ``field`` names it, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_theme(raw: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """The theme to store from submitted values (``None`` or ``""`` means the default), and the
    errors by key. The theme is only meaningful when there are no errors."""
    theme: dict[str, str] = {}
    errors: dict[str, str] = {}
    unknown = sorted(set(raw) - set(KEYS))
    for key in unknown:
        errors[key] = f"{key!r} is not a theme setting"
    for key in KEYS:
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            normal = _check(key, value)
        except ThemeError as exc:
            errors[key] = str(exc)
            continue
        if normal is not None:
            theme[key] = normal
    return theme, errors


def validate_theme(raw: Mapping[str, Any]) -> dict[str, str]:
    """``check_theme`` for services: raise ThemeError on the first mistake."""
    theme, errors = check_theme(raw)
    for key, message in errors.items():
        raise ThemeError(key, message)
    return theme


def _check(key: str, value: Any) -> str | None:
    if key in COLORS:
        return _color(key, value)
    if key in LENGTHS:
        low, high = LENGTHS[key]
        return f"{_whole(key, value, low, high, suffix='px')}px"
    if key == "zIndex":
        return str(_whole(key, value, *Z_INDEX))
    if key == "fontFamily":
        return _font(value)
    choices = CHOICES[key]
    if value not in choices:
        raise ThemeError(key, f"{key} must be one of {', '.join(choices)}")
    # The first choice is the widget's default: nothing to store or send.
    return None if value == choices[0] else str(value)


def _color(key: str, value: Any) -> str:
    rgb = parse_hex(value) if isinstance(value, str) else None
    if rgb is None:
        raise ThemeError(key, f"{str(value)[:40]!r} is not a colour like #0f766e or #fff")
    return to_hex(rgb)


def _whole(key: str, value: Any, low: int, high: int, suffix: str = "") -> int:
    text = str(value).strip().lower()
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)].strip()
    if not re.fullmatch(r"-?\d{1,10}", text) or not low <= int(text) <= high:
        unit = " pixels" if suffix else ""
        raise ThemeError(key, f"{key} must be a whole number{unit} from {low} to {high}")
    return int(text)


def _font(value: Any) -> str | None:
    if not isinstance(value, str):
        raise ThemeError("fontFamily", "a font family is text")
    if value in FONT_STACKS:
        return FONT_STACKS[value] or None
    text = " ".join(value.split())
    if len(text) > FONT_MAX:
        raise ThemeError("fontFamily", f"a font stack can be at most {FONT_MAX} characters long")
    families = [part.strip() for part in text.split(",")]
    for family in families:
        if not _FAMILY.fullmatch(family):
            raise ThemeError(
                "fontFamily",
                f"{family[:40]!r} is not a font family name: write names separated by commas, "
                'quoting those with spaces, e.g. "Source Sans 3", Arial, sans-serif',
            )
    return ", ".join(families)


def font_choice(stack: str | None) -> tuple[str, str]:
    """The console's (choice, custom text) for a stored stack."""
    for name, known in FONT_STACKS.items():
        if known == (stack or ""):
            return name, ""
    return "custom", stack or ""


# ---- contrast --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ContrastIssue:
    """Text that would read below 4.5:1 and the colour the widget shows instead."""

    scheme: str
    pair: str  # "text", "muted", "on_primary", "primary_text"
    ratio: float
    shown: str


def schemes_of(theme: Mapping[str, str]) -> tuple[str, ...]:
    scheme = theme.get("scheme", "light")
    return ("light", "dark") if scheme == "auto" else (scheme,)


def effective_colors(theme: Mapping[str, str], scheme: str) -> dict[str, str]:
    """The colours the panel ends up with in a scheme, before contrast adjustments."""
    defaults = SCHEME_DEFAULTS[scheme]
    primary = theme.get("colorPrimary", DEFAULT_PRIMARY)
    primary_text = primary
    if scheme == "dark":
        rgb = parse_hex(primary)
        if rgb is not None:
            primary_text = to_hex(tuple(v + (255 - v) * DARK_PRIMARY_TEXT_MIX for v in rgb))  # type: ignore[arg-type]
    return {
        "p": primary,
        "op": DEFAULT_ON_PRIMARY,
        "bg": theme.get("colorBackground", defaults["bg"]),
        "sf": defaults["sf"],
        "tx": theme.get("colorText", defaults["tx"]),
        "mu": defaults["mu"],
        "pt": primary_text,
    }


_PAIRS = {"op": "on_primary", "tx": "text", "mu": "muted", "pt": "primary_text"}


def contrast_issues(theme: Mapping[str, str]) -> list[ContrastIssue]:
    """Every text colour of the panel that falls below 4.5:1 with this theme, in each scheme it
    can show, with what the widget shows instead."""
    issues = []
    for scheme in schemes_of(theme):
        c = effective_colors(theme, scheme)
        # The loader first gives the launcher's label black or white, and the panel gets that.
        label = text_on(c["p"], c["op"])
        if label is not None:
            ratio = contrast(parse_hex(c["op"]), parse_hex(c["p"]))  # type: ignore[arg-type]
            issues.append(ContrastIssue(scheme, "on_primary", int(ratio * 10) / 10, label))
            c["op"] = label
        header_end = _darker(c["p"])
        grounds = {"op": [c["p"], header_end], "tx": [c["bg"], c["sf"]],
                   "mu": [c["bg"], c["sf"]], "pt": [c["bg"], c["sf"]]}
        for key, pair in _PAIRS.items():
            fg = parse_hex(c[key])
            backs = [rgb for rgb in (parse_hex(g) for g in grounds[key]) if rgb is not None]
            if fg is None or not backs:
                continue
            ratio = worst_contrast(fg, backs)
            if ratio < MIN_CONTRAST:
                shown = readable(c[key], grounds[key]) or c[key]
                # Shown rounded down: 4.49 must not read as 4.5.
                issue = ContrastIssue(scheme, pair, int(ratio * 10) / 10, shown)
                if key == "op" and label is not None:  # the label's colour, adjusted again
                    issues.remove(next(i for i in issues if i.scheme == scheme and i.pair == pair))
                issues.append(issue)
    return issues


def _darker(color: str) -> str:
    rgb = parse_hex(color)
    return to_hex((rgb[0] * 0.72, rgb[1] * 0.72, rgb[2] * 0.72)) if rgb else color
