"""Shared test fixtures. Tests run on the real data in the mirror (../shared/data/raw)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from anchormap import config
from tests.postgres import (  # noqa: F401  (fixtures: a throwaway PostgreSQL, and tests run on both stores)
    any_store,
    postgres_cluster,
    postgres_server_url,
    postgres_url,
    store_env,
    store_location,
)

PAGE_TIMEOUT_S = 180  # one AppTest run of a page (first runs build caches; the machine is shared)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last, in their usual order: the session's one Chromium
    (tests/browser/conftest.py) then closes as soon as they are done."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The real-data mirror; the suite needs it (CI has ../shared beside the clone)."""
    path = config.mirror_dir()
    assert path is not None and path.is_dir(), (
        "The data mirror is missing: set ANCHORMAP_MIRROR or put ../shared/data/raw beside the repository."
    )
    return path


@pytest.fixture
def open_page(tmp_path, monkeypatch, mirror) -> Callable[..., AppTest]:
    """A page of the app run once, headless, with streamlit's AppTest, as a link opens it.

    ``open_page(path="app.py", *, query=None, session=None, timeout=PAGE_TIMEOUT_S) -> AppTest``

    ``"app.py"`` is the entry point, with its home page; from there ``at.switch_page(...)`` goes
    to the other pages through the navigation. Any other ``path`` (relative to the repository
    root, e.g. ``"pages/4_Community.py"``) runs that page file as the main script: AppTest
    (Streamlit 1.67) resets ``PagesManager.uses_pages_directory`` before every run, so a page
    reached through ``app.py`` first runs by itself and then reruns through the entry point
    (anchormap.ui.entry), and that rerun drops the click of a button or form submitted in the
    run. The entry point's handling of each page is checked in the browser
    (tests/browser/test_missing_data_browser.py). ``query`` is the link's query string
    ({name: value}), ``session`` is put in ``st.session_state`` before the run, ``timeout``
    (seconds) bounds each run. The page must run without an exception. The published map files
    (``ANCHORMAP_STATIC_DIR``) and the land store (``ANCHORMAP_STORE``) are the test's own, under
    ``tmp_path``.

    Parameters
    ----------
    path : str
        The script relative to the repository root: ``"app.py"`` (the home page) or a page file.
    query : mapping of str to str, optional
        The link's query parameters.
    session : mapping of str to object, optional
        Session state set before the first run.
    timeout : float
        Seconds each ``run()`` of this AppTest may take.

    Returns
    -------
    streamlit.testing.v1.AppTest
        The app after its first run.
    """
    monkeypatch.setenv("ANCHORMAP_STATIC_DIR", str(tmp_path / "static"))
    monkeypatch.setenv("ANCHORMAP_STORE", str(tmp_path / "store" / "land.sqlite"))

    def make(
        path: str = "app.py",
        *,
        query: Mapping[str, str] | None = None,
        session: Mapping[str, Any] | None = None,
        timeout: float = PAGE_TIMEOUT_S,
    ) -> AppTest:
        at = AppTest.from_file(str(config.REPO_ROOT / path), default_timeout=timeout)
        for key, value in (session or {}).items():
            at.session_state[key] = value
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, f"{path} raised:\n" + "\n".join(
            e.message + "\n" + "\n".join(e.stack_trace) for e in at.exception
        )
        return at

    return make


# --------------------------------------------------------------------------- the anchors build
# Shared by the anchors tests (tests/test_anchors.py, test_anchor_checks.py, test_new_anchors.py):
# built once per test module, from the mirror's files.
@pytest.fixture(scope="module")
def paths(mirror) -> dict[str, Path]:
    """The mirror's file of every dataset the anchors layer is built from."""
    from anchormap.data.layers.anchors import LAYER_INPUTS
    from anchormap.data.sources import resolve

    return {ds: resolve(ds).path for ds in LAYER_INPUTS}


@pytest.fixture(scope="module")
def built(paths):
    """(anchors layer, build report) of :func:`anchormap.data.layers.anchors.build_anchors_with_report`."""
    from anchormap.data.layers.anchors import build_anchors_with_report

    return build_anchors_with_report(paths)


@pytest.fixture(scope="module")
def layer(built):
    """The anchors layer built from the mirror."""
    return built[0]


@pytest.fixture(scope="module")
def report(built):
    """The anchors build report."""
    return built[1]
