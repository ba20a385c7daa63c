"""Shared test fixtures. Tests run on the real data in the mirror (../shared/data/raw)."""

from __future__ import annotations

from pathlib import Path

import pytest

from anchormap import config


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The real-data mirror; the suite needs it (CI has ../shared beside the clone)."""
    path = config.mirror_dir()
    assert path is not None and path.is_dir(), (
        "The data mirror is missing: set ANCHORMAP_MIRROR or put ../shared/data/raw beside the repository."
    )
    return path
