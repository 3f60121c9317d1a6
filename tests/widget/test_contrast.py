"""The contrast functions of widget/js/shared/contrast.js, run in Node, and their Python mirror
(helpmenu.sites.contrast) held to the same answers: what the console warns about is what the
widget does."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from typing import Any

import pytest

from helpmenu.sites import contrast as py
from tests.conftest import ROOT, unavailable

MODULE = ROOT / "widget" / "js" / "shared" / "contrast.js"
RUNNER = """
import * as c from %s;
const calls = JSON.parse(await new Promise((done) => {
  let text = '';
  process.stdin.on('data', (chunk) => { text += chunk; });
  process.stdin.on('end', () => done(text));
}));
console.log(JSON.stringify(calls.map(([name, ...args]) => c[name](...args) ?? null)));
"""


def js(*calls: list[Any]) -> list[Any]:
    """Each ``[function, *arguments]`` called in contrast.js; the results, in order."""
    node = shutil.which("node")
    if node is None:
        unavailable("Node.js", "node is not on PATH")
    assert node is not None
    result = subprocess.run(
        [node, "--input-type=module", "-e", RUNNER % json.dumps(MODULE.as_uri())],
        input=json.dumps(list(calls)), capture_output=True, text=True, check=True, timeout=60,
    )
    answer: list[Any] = json.loads(result.stdout)
    return answer


def rgb(color: str) -> tuple[float, float, float]:
    parsed = py.parse_hex(color)
    assert parsed is not None, color
    return parsed


def ratio(fg: str, *grounds: str) -> float:
    return py.worst_contrast(rgb(fg), [rgb(g) for g in grounds])


def test_colours_are_parsed_in_the_forms_browsers_report() -> None:
    assert js(
        ["parseColor", "#abc"], ["parseColor", "#4F46E5"], ["parseColor", "rgb(1, 2, 3)"],
        ["parseColor", "rgba(10, 20, 30, 0.5)"], ["parseColor", "color(srgb 1 0.5 0)"],
        ["parseColor", "red"], ["parseColor", "#abcd"], ["parseColor", ""],
        ["parseColor", "oklch(0.6 0.1 200)"], ["rgbOf", "rgb(79, 70, 229)"],
        ["rgbOf", "color(srgb 1 1 1)"],
    ) == [[170, 187, 204], [79, 70, 229], [1, 2, 3], [10, 20, 30], [255, 127.5, 0],
          None, None, None, None, [79, 70, 229], False]


def test_the_contrast_ratio_is_wcags() -> None:
    black, white, grey = [0, 0, 0], [255, 255, 255], [119, 119, 119]
    low, high, mid = js(["contrast", black, black], ["contrast", black, white],
                        ["contrast", grey, white])
    assert low == 1 and high == 21
    assert mid == pytest.approx(4.48, abs=0.01)  # #777 on white: the classic just-too-light grey


@pytest.mark.parametrize(
    ("back", "text", "expected"),
    [
        ([79, 70, 229], [255, 255, 255], None),  # the default: white on indigo reads
        ([250, 204, 21], [255, 255, 255], "#000000"),  # white on yellow does not: black
        ([15, 118, 110], [0, 0, 0], "#ffffff"),  # black on dark teal: white
        ([255, 255, 255], [255, 255, 255], "#000000"),
        (False, [255, 255, 255], None),  # a colour the loader could not read: left as it is
    ],
)
def test_the_launchers_label_gets_black_or_white(back: Any, text: Any,
                                                 expected: str | None) -> None:
    assert js(["textOn", back, text]) == [expected]
    if back:  # the console's warnings say the same
        assert py.text_on(py.to_hex(tuple(back)), py.to_hex(tuple(text))) == expected


@pytest.mark.parametrize(
    ("fg", "grounds"),
    [
        ("#9ca3af", ["#ffffff"]),  # grey text on white: darkened
        ("#eef1f6", ["#ffffff", "#f5f6fa"]),  # dark-mode text on a light background
        ("#111827", ["#161b26", "#0e121a"]),  # light-mode text on a dark background: lightened
        ("#facc15", ["#ffffff", "#f5f6fa"]),  # a yellow primary as link text
        ("#0f766e", ["#111827"]),  # a teal primary as link text in dark mode
    ],
)
def test_text_is_moved_just_enough_and_keeps_its_hue(fg: str, grounds: list[str]) -> None:
    (shown,) = js(["readable", fg, grounds])
    assert shown is not None and shown != fg
    assert ratio(shown, *grounds) >= 4.5
    assert ratio(fg, *grounds) < 4.5
    # The hue is kept: the colour moved straight towards black or white, so its channels keep
    # their order.
    before, after = rgb(fg), rgb(shown)
    assert sorted(range(3), key=lambda i: before[i]) == sorted(range(3), key=lambda i: after[i]) \
        or len(set(before)) < 3
    assert py.readable(fg, grounds) == shown


def test_readable_text_and_unreadable_input_are_left_alone() -> None:
    assert js(
        ["readable", "#111827", ["#ffffff", "#f5f6fa"]],
        ["readable", "#eef1f6", ["#161b26"]],
        ["readable", "oklch(0.6 0.1 200)", ["#ffffff"]],
        ["readable", "#777777", []],
    ) == [None, None, None, None]


def test_when_nothing_reads_on_every_background_the_better_of_black_and_white_wins() -> None:
    assert js(["readable", "#777777", ["#000000", "#ffffff"]]) == ["#000000"]
    assert py.readable("#777777", ["#000000", "#ffffff"]) == "#000000"


def test_the_panels_issues_name_each_pair_and_what_is_shown() -> None:
    colors = {"p": "#facc15", "op": "#ffffff", "bg": "#ffffff", "sf": "#f5f6fa",
              "tx": "#111827", "mu": "#5f6b7e", "pt": "#facc15"}
    (issues,) = js(["themeIssues", colors])
    assert [i["name"] for i in issues] == ["--op", "--pt"]
    shown = {i["name"]: i["shown"] for i in issues}
    assert ratio(shown["--op"], "#facc15", py.to_hex(tuple(v * 0.72 for v in rgb("#facc15")))) >= 4.5  # type: ignore[arg-type]
    assert py.theme_fixes(colors) == shown
    # The widget's own colours need nothing, in light and in dark mode.
    default_light = {"p": "#4f46e5", "op": "#ffffff", "bg": "#ffffff", "sf": "#f5f6fa",
                     "tx": "#111827", "mu": "#5f6b7e", "pt": "#4f46e5"}
    default_dark = {"p": "#4f46e5", "op": "#ffffff", "bg": "#161b26", "sf": "#0e121a",
                    "tx": "#eef1f6", "mu": "#9aa4b5", "pt": "#b0acf3"}
    assert js(["themeFixes", default_light], ["themeFixes", default_dark]) == [{}, {}]


def test_javascript_and_python_agree_on_random_colours() -> None:
    generator = random.Random(20261127)

    def color() -> str:
        return "#" + "".join(f"{generator.randrange(256):02x}" for _ in range(3))

    cases = [(color(), [color(), color()][: generator.randrange(1, 3)]) for _ in range(300)]
    answers = js(*(["readable", fg, grounds] for fg, grounds in cases))
    for (fg, grounds), shown in zip(cases, answers, strict=True):
        mine = py.readable(fg, grounds)
        if shown is None or mine is None:
            assert shown == mine, (fg, grounds)
            continue
        assert max(abs(a - b) for a, b in zip(rgb(shown), rgb(mine), strict=True)) <= 1
        if shown not in ("#000000", "#ffffff"):
            assert ratio(shown, *grounds) >= 4.5, (fg, grounds, shown)
