"""Documentation is tested like code: every setting and CLI command is documented."""

import argparse
from dataclasses import fields
from pathlib import Path

from helpmenu.cli import _parser
from helpmenu.settings import PREFIX, Settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text()
    missing = [PREFIX + f.name.upper() for f in fields(Settings)
               if f"`{PREFIX}{f.name.upper()}`" not in text]
    assert missing == []


def test_every_cli_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    subparsers = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    missing = [name for name in subparsers.choices if f"helpmenu {name}" not in readme]
    assert missing == []


def test_readme_quick_start_is_exactly_the_two_dev_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [line for line in quick.splitlines() if line.startswith("./")]
    assert commands == ["./dev demo", "./dev test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "./dev test" in ci
