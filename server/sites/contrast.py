"""WCAG contrast, as the widget computes it (widget/js/shared/contrast.js), for the console's
warnings. Pure functions; tests/widget/test_contrast.py holds both implementations to the same
cases, so what the console announces is what the widget does."""

from __future__ import annotations

import re
from collections.abc import Sequence

MIN_CONTRAST = 4.5
_MARGIN = 0.05  # see contrast.js: the rounded colour stays above the minimum

RGB = tuple[float, float, float]

_HEX = re.compile(r"#([0-9a-f]{3}|[0-9a-f]{6})")
_BLACK: RGB = (0.0, 0.0, 0.0)
_WHITE: RGB = (255.0, 255.0, 255.0)


def parse_hex(text: str) -> RGB | None:
    """``(r, g, b)`` of ``#rgb`` or ``#rrggbb``; None for anything else."""
    match = _HEX.fullmatch(text.strip().lower())
    if match is None:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return (float(int(digits[0:2], 16)), float(int(digits[2:4], 16)), float(int(digits[4:6], 16)))


def to_hex(rgb: RGB) -> str:
    # floor(x + 0.5), as JavaScript's Math.round, not Python's round-half-to-even.
    return "#" + "".join(f"{int(min(max(v, 0.0), 255.0) + 0.5):02x}" for v in rgb)


def luminance(rgb: RGB) -> float:
    def channel(value: float) -> float:
        c = min(max(value, 0.0), 255.0) / 255
        return c / 12.92 if c <= 0.04045 else float(((c + 0.055) / 1.055) ** 2.4)

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    x, y = luminance(a), luminance(b)
    return (max(x, y) + 0.05) / (min(x, y) + 0.05)


def worst_contrast(fg: RGB, grounds: Sequence[RGB]) -> float:
    return min(contrast(fg, g) for g in grounds)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """``a`` moved a fraction ``t`` of the way to ``b``."""
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def readable(fg: str, backgrounds: Sequence[str], minimum: float = MIN_CONTRAST) -> str | None:
    """A colour for text ``fg`` that reads on every background, or None when ``fg`` already does:
    ``fg`` darkened or lightened just enough (the smaller change), else black or white."""
    color = parse_hex(fg)
    grounds = [g for g in (parse_hex(b) for b in backgrounds) if g is not None]
    if color is None or not grounds:
        return None
    if worst_contrast(color, grounds) >= minimum:
        return None
    goal = minimum + _MARGIN
    best: tuple[float, RGB] | None = None
    for end in (_BLACK, _WHITE):
        if worst_contrast(mix(color, end, 1), grounds) < goal:
            continue
        lo, hi = 0.0, 1.0
        for _ in range(16):
            mid = (lo + hi) / 2
            if worst_contrast(mix(color, end, mid), grounds) >= goal:
                hi = mid
            else:
                lo = mid
        if best is None or hi < best[0]:
            best = (hi, mix(color, end, hi))
    if best is None:
        black = worst_contrast(_BLACK, grounds) >= worst_contrast(_WHITE, grounds)
        return "#000000" if black else "#ffffff"
    return to_hex(best[1])


def text_on(back: str, text: str) -> str | None:
    """``textOn`` of contrast.js: None when ``text`` reads on ``back``, else black or white,
    whichever reads better. The loader gives the launcher's label this colour, and passes it on to
    the panel as its text on the primary colour."""
    ground, color = parse_hex(back), parse_hex(text)
    if ground is None or color is None or contrast(color, ground) >= MIN_CONTRAST:
        return None
    return "#000000" if contrast(_BLACK, ground) >= contrast(_WHITE, ground) else "#ffffff"


def theme_fixes(colors: dict[str, str]) -> dict[str, str]:
    """The panel's overrides for its effective colours (``p``, ``op``, ``bg``, ``sf``, ``tx``,
    ``mu``, ``pt`` as ``#rrggbb``), as ``themeFixes`` in contrast.js computes them."""
    primary = parse_hex(colors["p"])
    header_end = to_hex((primary[0] * 0.72, primary[1] * 0.72, primary[2] * 0.72)) if primary else ""
    pairs = {
        "--op": (colors["op"], [colors["p"], header_end]),
        "--tx": (colors["tx"], [colors["bg"], colors["sf"]]),
        "--mu": (colors["mu"], [colors["bg"], colors["sf"]]),
        "--pt": (colors["pt"], [colors["bg"], colors["sf"]]),
    }
    fixes = {}
    for name, (fg, grounds) in pairs.items():
        fixed = readable(fg, [g for g in grounds if g])
        if fixed:
            fixes[name] = fixed
    return fixes
