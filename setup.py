"""Build glue that pyproject.toml cannot express: the package lives in server/ but imports as
helpmenu, and every build first bundles the widget (npm + esbuild) so wheels carry it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def build_widget() -> None:
    if os.environ.get("HELPMENU_SKIP_WIDGET_BUILD"):
        return  # the dev script builds the widget itself
    manifest = ROOT / "server" / "static" / "dist" / "manifest.json"
    npm = shutil.which("npm")
    if npm is None or not (ROOT / "package.json").exists():
        # An sdist may carry a prebuilt bundle; without one the server could not serve the
        # widget, so fail loudly rather than ship a broken wheel.
        if manifest.exists():
            return
        raise RuntimeError("building HelpMenu needs Node.js 18+ and npm for the widget bundle")
    if not (ROOT / "node_modules" / ".package-lock.json").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)  # noqa: S603
    subprocess.run([npm, "run", "build"], cwd=ROOT, check=True)  # noqa: S603


class BuildPyWithWidget(build_py):
    def run(self) -> None:
        build_widget()
        super().run()


setup(
    package_dir={"helpmenu": "server"},
    # Namespace discovery also lists the data folders (templates, locales, static), so they ship.
    packages=["helpmenu", *("helpmenu." + name for name in find_namespace_packages("server"))],
    cmdclass={"build_py": BuildPyWithWidget},
)
