"""Build the widget bundle (npm + esbuild) into server/static/dist so wheels carry it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class WidgetBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        dist = root / "server" / "static" / "dist" / "manifest.json"
        npm = shutil.which("npm")
        if npm is None:
            # An sdist built elsewhere may already carry the bundle; without it the
            # server could not serve the widget, so fail loudly rather than ship a broken wheel.
            if dist.exists():
                return
            raise RuntimeError("npm is required to build the HelpMenu widget (Node.js 18+)")
        if not (root / "node_modules" / ".package-lock.json").exists():
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=root, check=True)  # noqa: S603
        subprocess.run([npm, "run", "build"], cwd=root, check=True)  # noqa: S603
