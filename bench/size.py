"""Print the widget's download sizes (raw, gzip, brotli) and fail when a budget is exceeded.

    npm run build && python bench/size.py

Budgets (widget/README.md):
- before the user clicks Help, a host page downloads the loader and the session response:
  together at most 5 kB gzipped (the loader alone aims at 4 kB);
- after: the frame chunk (the panel's frame on the host page, fetched when the user points at or
  focuses the launcher) is printed on its own;
- the panel shell (entry JS with its static imports, CSS, and the panel HTML) at most 15 kB
  gzipped, not counting the locale file and the lazily loaded section chunks;
- the whole panel, the shell plus every section's chunks (each loaded when its section is first
  opened), at most 35 kB gzipped, the locale file counted apart.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

try:
    import brotli
except ImportError:  # optional: pip install brotli
    brotli = None

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "server" / "static" / "dist"
TEMPLATE = ROOT / "server" / "widget" / "templates" / "panel.html"
LOCALES = ROOT / "widget" / "locales"

BEFORE_CLICK_BUDGET = 5 * 1024
LOADER_TARGET = 4 * 1024
PANEL_SHELL_BUDGET = 15 * 1024
PANEL_ALL_BUDGET = 35 * 1024

_STATIC_IMPORT = re.compile(r"""(?:\bimport|\bfrom)\s*["'](\./[^"']+)["']""")
_DYNAMIC_IMPORT = re.compile(r"""\bimport\(\s*["'](\./[^"']+)["']\s*\)""")


def sizes(data: bytes) -> tuple[int, int, int | None]:
    compressed = brotli.compress(data, quality=11) if brotli else None
    return len(data), len(gzip.compress(data, 9)), len(compressed) if compressed else None


def static_closure(entry: str) -> list[str]:
    """The entry and every chunk it imports statically (what loads before first paint)."""
    seen: list[str] = []
    pending = [entry]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.append(name)
        text = (DIST / name).read_text("utf-8")
        pending.extend(m[2:] for m in _STATIC_IMPORT.findall(text))
    return seen


def lazy_chunks(files: list[str]) -> list[str]:
    found: set[str] = set()
    for name in files:
        found.update(m[2:] for m in _DYNAMIC_IMPORT.findall((DIST / name).read_text("utf-8")))
    return sorted(found)


def panel_html(manifest: dict[str, object]) -> bytes:
    """The panel page as the server renders it, with a typical config."""
    template = TEMPLATE.read_text("utf-8") if TEMPLATE.exists() else "{{ config }}"
    locales = manifest["locales"]
    assert isinstance(locales, dict)
    config = {
        "site": "pk_" + "x" * 24,
        "hostOrigin": "https://app.example.com",
        "locale": "en",
        "locales": {code: "/widget/assets/" + path for code, path in locales.items()},
        "api": "https://help.example.com",
        "version": manifest["version"],
    }
    panel = manifest["panel"]
    assert isinstance(panel, dict)
    values = {
        "locale": "en",
        "direction": "ltr",
        "title": "Help and support",
        "css": panel["css"],
        "js": panel["js"],
        "config": json.dumps(config, separators=(",", ":")).replace('"', "&#34;"),
    }
    html = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: str(values.get(m.group(1), "")), template)
    return html.encode()


def session_json(manifest: dict[str, object]) -> bytes:
    """A typical POST /api/widget/session response for an identified user."""
    english = json.loads((LOCALES / "en.json").read_text("utf-8"))
    strings = {k: v for k, v in english.items() if k.startswith("loader.")}
    payload = {
        "session": "v1." + "x" * 180,
        "expires_in": 3600,
        "user": {
            "id": "u_olena-42",
            "name": "Olena Kovalenko",
            "email": "olena@hotel.example",
            "account": "hotel-dnipro",
            "anonymous": False,
        },
        "anonymous_id": None,
        "locale": "en",
        "site": {"name": "OtelDemo PMS", "default_locale": "uk"},
        "strings": strings,
        # A site theme set in the console (sites/theme.py stores only what differs from defaults).
        "theme": {"colorPrimary": "#0f766e", "colorAccent": "#f59e0b", "colorText": "#e5e7eb",
                  "colorBackground": "#111827", "fontFamily": '"Source Sans 3", Arial, sans-serif',
                  "radius": "12px", "position": "left", "scheme": "dark"},
        "frame": f"/widget/assets/{manifest['frame']}",
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def fmt(value: int | None) -> str:
    return "-" if value is None else f"{value / 1024:.2f} kB"


def row(label: str, data: bytes) -> tuple[int, int, int | None]:
    raw, gz, br = sizes(data)
    print(f"  {label:<34} {fmt(raw):>10} {fmt(gz):>10} {fmt(br):>10}")
    return raw, gz, br


def main() -> int:
    manifest_path = DIST / "manifest.json"
    if not manifest_path.exists():
        print("no build found: run `npm ci && npm run build` first", file=sys.stderr)
        return 2
    manifest = json.loads(manifest_path.read_text("utf-8"))
    print(
        f"HelpMenu widget {manifest['version']}"
        + ("" if brotli else "  (brotli: not installed, column skipped)")
    )
    print(f"  {'':<34} {'raw':>10} {'gzip':>10} {'brotli':>10}")
    failures = []

    print("before the click")
    loader = row(manifest["loader"], (DIST / manifest["loader"]).read_bytes())
    session = row("session response (typical)", session_json(manifest))
    before = loader[1] + session[1]
    print(f"  {'= loader + session, gzip':<34} {'':>10} {fmt(before):>10}")
    if before > BEFORE_CLICK_BUDGET:
        failures.append(f"loader + session {fmt(before)} gz > {fmt(BEFORE_CLICK_BUDGET)}")
    if loader[1] > LOADER_TARGET:
        print(f"  note: the loader is over its {fmt(LOADER_TARGET)} gz target")

    print("after the click (fetched on intent: pointer over or focus on the launcher)")
    row(manifest["frame"], (DIST / manifest["frame"]).read_bytes())

    print("panel shell")
    shell_files = static_closure(manifest["panel"]["js"])
    shell_gz = sum(row(name, (DIST / name).read_bytes())[1] for name in shell_files)
    shell_gz += row(manifest["panel"]["css"], (DIST / manifest["panel"]["css"]).read_bytes())[1]
    shell_gz += row("panel.html (rendered template)", panel_html(manifest))[1]
    print(f"  {'= panel shell, gzip':<34} {'':>10} {fmt(shell_gz):>10}")
    if shell_gz > PANEL_SHELL_BUDGET:
        failures.append(f"panel shell {fmt(shell_gz)} gz > {fmt(PANEL_SHELL_BUDGET)}")

    print("lazy section chunks")
    counted: set[str] = set(shell_files)
    all_gz = shell_gz
    for name in lazy_chunks(shell_files):
        for index, part in enumerate(static_closure(name)):
            if part in shell_files:
                continue
            gz = row(part if index == 0 else f"  + {part}", (DIST / part).read_bytes())[1]
            if part not in counted:  # a chunk shared by two sections downloads once
                counted.add(part)
                all_gz += gz
    print(f"  {'= panel with every section, gzip':<34} {'':>10} {fmt(all_gz):>10}")
    if all_gz > PANEL_ALL_BUDGET:
        failures.append(f"panel with every section {fmt(all_gz)} gz > {fmt(PANEL_ALL_BUDGET)}")

    print("locales")
    for path in manifest["locales"].values():
        row(path, (DIST / path).read_bytes())

    for failure in failures:
        print(f"OVER BUDGET: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
