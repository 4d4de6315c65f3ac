"""The settings file (targets, weights, thresholds): read lazily, never at import time."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

from dashboard.store import ROOT

DEFAULT_SETTINGS = ROOT / "settings.toml"


def settings_path() -> Path:
    return Path(os.environ.get("DASHBOARD_SETTINGS") or DEFAULT_SETTINGS)


@cache
def _load(path: str, mtime: float) -> dict:
    return tomllib.loads(Path(path).read_text(encoding="utf-8"))


def settings() -> dict:
    """The whole settings file as a dict (re-read when the file changes)."""
    path = settings_path()
    return _load(str(path), path.stat().st_mtime)
