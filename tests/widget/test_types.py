"""widget/helpmenu.d.ts: the TypeScript declarations of the JavaScript API.

`tsc --noEmit` type-checks a host app's usage (tests/widget/types/usage.ts) and a check generated
from widget/js/shared/contract.js: the declared commands and events must be exactly the contract's,
and every section and theme token must be declared, so a command added to the contract without its
declaration fails here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, unavailable
from tests.test_widget_docs import contract_array

DTS = ROOT / "widget" / "helpmenu.d.ts"
USAGE = Path(__file__).resolve().parent / "types" / "usage.ts"
TSC = ROOT / "node_modules" / ".bin" / "tsc"


def _union(names: list[str]) -> str:
    return " | ".join(json.dumps(name) for name in names)


def _module(dts: Path) -> str:
    """`.../helpmenu.d.ts` as TypeScript imports it: `.../helpmenu`."""
    return dts.with_suffix("").with_suffix("").as_posix()


def contract_check(dts: Path = DTS) -> str:
    """TypeScript that compiles only if the d.ts declares what contract.js lists."""
    return f"""
import type {{
  HelpMenuCommand, HelpMenuEventMap, HelpMenuSection, HelpMenuTheme,
}} from '{_module(dts)}';
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Declares<A, B> = [B] extends [A] ? true : false;
export const commands: Same<HelpMenuCommand, {_union(contract_array("COMMANDS"))}> = true;
export const events: Same<keyof HelpMenuEventMap, {_union(contract_array("EVENTS"))}> = true;
export const sections: Same<HelpMenuSection, {_union(contract_array("SECTIONS"))}> = true;
export const tokens: Declares<keyof HelpMenuTheme, {_union(contract_array("THEME_TOKENS"))}> = true;
"""


def run_tsc(tmp_path: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    if not TSC.exists():
        unavailable("TypeScript", "node_modules/.bin/tsc is missing: run `npm ci`")
    if shutil.which("node") is None:
        unavailable("Node.js", "no node on PATH")
    config = {
        "compilerOptions": {
            "strict": True,
            "noEmit": True,
            "target": "ES2022",
            "module": "ESNext",
            "moduleResolution": "Bundler",
            "lib": ["ES2022", "DOM"],
            "types": [],
            "skipLibCheck": False,
        },
        "files": [str(path) for path in (DTS, *files)],
    }
    project = tmp_path / "tsconfig.json"
    project.write_text(json.dumps(config))
    return subprocess.run([str(TSC), "-p", str(project)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)


def test_usage_sample_and_contract_type_check(tmp_path: Path) -> None:
    check = tmp_path / "contract_check.ts"
    check.write_text(contract_check())
    result = run_tsc(tmp_path, USAGE, check)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("declaration", "missing"),
    [("  | 'once';", "once"), ("  'chat:ended': HelpMenuChatEndedDetail;", "chat:ended")],
)
def test_a_missing_command_or_event_fails(tmp_path: Path, declaration: str, missing: str) -> None:
    """The check has teeth: the d.ts without one contract entry does not compile."""
    text = DTS.read_text("utf-8")
    assert declaration in text
    broken = tmp_path / "widget" / "helpmenu.d.ts"
    broken.parent.mkdir()
    broken.write_text(text.replace(declaration, "  | 'boot';" if declaration.startswith("  |") else ""))
    check = tmp_path / "contract_check.ts"
    check.write_text(contract_check(broken))
    result = run_tsc(tmp_path, check)
    assert result.returncode != 0
    assert "contract_check.ts" in result.stdout, result.stdout


def test_package_json_points_at_the_declarations() -> None:
    package = json.loads((ROOT / "package.json").read_text("utf-8"))
    assert (ROOT / package["types"]).resolve() == DTS
    assert "typescript" in package["devDependencies"]
