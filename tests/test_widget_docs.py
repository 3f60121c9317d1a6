"""The widget's documented contract matches the catalogue the code runs on.

widget/js/shared/contract.js holds the commands, events, sections, postMessage types and theme
tokens as arrays the loader and the panel validate against at runtime. docs/js-api.md and
docs/protocol.md list them in tables; these tests fail when one side names something the other
lacks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "widget" / "js" / "shared" / "contract.js"
JS_API = ROOT / "docs" / "js-api.md"
PROTOCOL = ROOT / "docs" / "protocol.md"
README = ROOT / "widget" / "README.md"


def contract_array(name: str) -> list[str]:
    """The string items of `export const NAME = [...]` in contract.js."""
    match = re.search(rf"export const {name} = \[(.*?)\];", CONTRACT.read_text("utf-8"), re.S)
    assert match, f"{name} is not an exported array in {CONTRACT.name}"
    items = re.findall(r"'([^']+)'", match.group(1))
    assert items, f"{name} is empty"
    return items


def table_names(markdown: str, heading: str) -> list[str]:
    """The backticked names in the first column of the table under `heading`."""
    lines = markdown.splitlines()
    start = lines.index(heading)
    names: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        match = re.match(r"\|\s*`([^`]+)`\s*\|", line)
        if match:
            names.append(match.group(1))
    assert names, f"no table rows under {heading!r}"
    return names


def test_contract_parses() -> None:
    assert "boot" in contract_array("COMMANDS")
    assert table_names("## H\n| a | b |\n| `x` | y |\n## Next\n| `z` | |", "## H") == ["x"]


@pytest.mark.parametrize(
    ("array", "doc", "heading"),
    [
        ("COMMANDS", JS_API, "### Commands"),
        ("EVENTS", JS_API, "### Events"),
        ("THEME_TOKENS", JS_API, "### Theme tokens"),
        ("THEME_OPTIONS", JS_API, "### Theme options"),
        ("PANEL_MESSAGES", PROTOCOL, "## Panel → loader"),
        ("LOADER_MESSAGES", PROTOCOL, "## Loader → panel"),
    ],
)
def test_docs_list_exactly_the_contract(array: str, doc: Path, heading: str) -> None:
    code = contract_array(array)
    documented = table_names(doc.read_text("utf-8"), heading)
    assert sorted(set(code) - set(documented)) == [], f"undocumented in {doc.name}"
    assert sorted(set(documented) - set(code)) == [], f"documented but not in {CONTRACT.name}"


def test_grammar_names_every_command() -> None:
    text = JS_API.read_text("utf-8")
    grammar = text.split("## Grammar", 1)[1].split("###", 1)[0]
    assert sorted(re.findall(r"HelpMenu\('([A-Za-z:]+)'", grammar)) == sorted(contract_array("COMMANDS"))


def test_every_section_is_documented() -> None:
    text = JS_API.read_text("utf-8")
    for section in contract_array("SECTIONS"):
        assert f"`{section}`" in text, section


def test_readme_names_every_theme_property() -> None:
    text = README.read_text("utf-8")
    for token in contract_array("THEME_TOKENS"):
        prop = "--hm-" + re.sub(r"[A-Z]", lambda m: "-" + m.group(0).lower(), token)
        assert prop in text, prop
