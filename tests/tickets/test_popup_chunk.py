"""The popup code is its own chunk, loaded only when something is pending: at most 4 kB gzipped,
and no part of it sits in the loader."""

from __future__ import annotations

import gzip
import json

from tests.conftest import ROOT, unavailable

DIST = ROOT / "server" / "static" / "dist"


def test_the_popup_chunk_stays_within_its_budget() -> None:
    manifest_path = DIST / "manifest.json"
    if not manifest_path.exists():
        unavailable("the widget bundle", "run `npm run build`")
    manifest = json.loads(manifest_path.read_text())
    chunk = (DIST / manifest["popup"]).read_bytes()
    assert len(gzip.compress(chunk, 9)) <= 4 * 1024
    loader = (DIST / manifest["loader"]).read_text("utf-8")
    assert "popup.later" not in loader and "helpmenu-popup" not in loader
    assert b"helpmenu-popup" in chunk
