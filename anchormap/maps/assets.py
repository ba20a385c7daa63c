"""Everything the web map loads, served by the app itself so the map works with no internet.

folium points Leaflet and its plugins at public CDNs; AnchorMap instead serves them from the
Python packages installed with it (XStatic-Leaflet, XStatic-Leaflet-MarkerCluster) plus its
own small script and style sheet (``anchormap/maps/web``), through Streamlit's static file serving
(``server.enableStaticServing = true`` in ``.streamlit/config.toml``; files under
``<folder of app.py>/static`` are served at ``/app/static/``).

:func:`install_assets` copies those files into ``static/anchormap/`` (git-ignored) and is
idempotent: it runs automatically the first time a map is built. :func:`publish_json` writes
read-only data (display geometry, public anchor lists) there under a content-hashed name, so
the browser fetches each file once and caches it, and a changed file gets a new URL.

Never put session data (an uploaded network list) in the static folder: it is public.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from importlib import import_module
from pathlib import Path

import anchormap.config as config
from anchormap.atomic import atomic_path

STATIC_SUBDIR = "anchormap"
"""Our folder inside the app's ``static`` folder."""

URL_PREFIX = "../../app/static/"
"""Base URL of the static folder as seen from the streamlit-folium iframe, whose page is
``<server>/component/streamlit_folium.st_folium/index.html``; relative, so it also works
under ``server.baseUrlPath``."""

# name -> (xstatic package, file inside its data folder)
VENDOR_FILES: dict[str, tuple[str, str]] = {
    "leaflet.js": ("xstatic.pkg.leaflet", "leaflet.js"),
    "leaflet.css": ("xstatic.pkg.leaflet", "leaflet.css"),
    "images/layers.png": ("xstatic.pkg.leaflet", "images/layers.png"),
    "images/layers-2x.png": ("xstatic.pkg.leaflet", "images/layers-2x.png"),
    "images/marker-icon.png": ("xstatic.pkg.leaflet", "images/marker-icon.png"),
    "images/marker-icon-2x.png": ("xstatic.pkg.leaflet", "images/marker-icon-2x.png"),
    "images/marker-shadow.png": ("xstatic.pkg.leaflet", "images/marker-shadow.png"),
    "leaflet.markercluster.js": ("xstatic.pkg.leaflet_markercluster", "leaflet.markercluster.js"),
    "MarkerCluster.css": ("xstatic.pkg.leaflet_markercluster", "MarkerCluster.css"),
    "MarkerCluster.Default.css": ("xstatic.pkg.leaflet_markercluster", "MarkerCluster.Default.css"),
}

OWN_FILES = ("anchormap.js", "anchormap.css")
"""Our own files in ``anchormap/maps/web``."""

JS_ORDER = ("vendor/leaflet.js", "vendor/leaflet.markercluster.js", "anchormap.js")
CSS_ORDER = ("vendor/leaflet.css", "vendor/MarkerCluster.css", "vendor/MarkerCluster.Default.css", "anchormap.css")

_LOCK = threading.Lock()
_INSTALLED: set[str] = set()


def static_root() -> Path:
    """The folder Streamlit serves at ``/app/static``: ``static`` beside the main script.

    ``ANCHORMAP_STATIC_DIR`` overrides it (tests, benchmarks). Under ``streamlit run`` the main
    script's folder is used; otherwise the repository root.
    """
    env = os.environ.get("ANCHORMAP_STATIC_DIR")
    if env:
        return Path(env)
    try:
        from streamlit.runtime import Runtime

        if Runtime.exists():
            main = Runtime.instance()._main_script_path
            if main:
                return Path(main).resolve().parent / "static"
    except Exception:
        pass
    return config.REPO_ROOT / "static"


def asset_dir(root: Path | None = None) -> Path:
    return (root or static_root()) / STATIC_SUBDIR


def url_for(relative: str) -> str:
    """The URL (relative to the map iframe) of a file under ``static/anchormap/``."""
    return f"{URL_PREFIX}{STATIC_SUBDIR}/{relative}"


def _source_files() -> dict[str, Path]:
    files = {}
    for name, (module, rel) in VENDOR_FILES.items():
        files[f"vendor/{name}"] = Path(import_module(module).BASE_DIR) / rel
    web = Path(__file__).resolve().parent / "web"
    for name in OWN_FILES:
        files[name] = web / name
    return files


def _same(src: Path, dst: Path) -> bool:
    if not dst.is_file():
        return False
    if src.stat().st_size != dst.stat().st_size:
        return False
    return src.read_bytes() == dst.read_bytes()


def install_assets(root: Path | None = None) -> Path:
    """Copy Leaflet, Leaflet.markercluster and our script/styles into the static folder.

    Idempotent and cheap after the first call in a process; files are replaced atomically
    when their content changed (for example after upgrading a package). Returns the folder.
    """
    target = asset_dir(root)
    key = str(target)
    if key in _INSTALLED:
        return target
    with _LOCK:
        if key in _INSTALLED:
            return target
        for rel, src in _source_files().items():
            dst = target / rel
            if not _same(src, dst):
                dst.parent.mkdir(parents=True, exist_ok=True)
                with atomic_path(dst) as tmp:
                    shutil.copyfile(src, tmp)
        _INSTALLED.add(key)
    return target


def js_links() -> list[tuple[str, str]]:
    """(name, url) of every script the map needs, in load order (folium ``default_js`` form)."""
    return [(Path(p).stem, url_for(p)) for p in JS_ORDER]


def css_links() -> list[tuple[str, str]]:
    """(name, url) of every style sheet the map needs (folium ``default_css`` form)."""
    return [(Path(p).stem.replace(".", "_") + "_css", url_for(p)) for p in CSS_ORDER]


def publish_json(stem: str, payload: dict, root: Path | None = None) -> str:
    """Write public, read-only ``payload`` as ``data/<stem>.<hash>.json``; return its URL.

    The name carries a hash of the content, so browsers may cache it for good and a new
    build gets a new URL. Writing is skipped when the file already exists.
    """
    return publish_text(stem, json.dumps(payload, separators=(",", ":"), ensure_ascii=False), root)


def publish_text(stem: str, text: str, root: Path | None = None) -> str:
    """:func:`publish_json` of a payload already written as JSON ``text``; return its URL."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    rel = f"data/{stem}.{digest}.json"
    dst = asset_dir(root) / rel
    if not dst.is_file():
        dst.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(dst) as tmp:
            Path(tmp).write_text(text, encoding="utf-8")
    return url_for(rel)


def published_path(url: str, root: Path | None = None) -> Path:
    """The file behind a URL returned by :func:`publish_json` (for sizes in benchmarks)."""
    prefix = url_for("")
    if not url.startswith(prefix):
        msg = f"Not an AnchorMap static URL: {url!r}"
        raise ValueError(msg)
    return asset_dir(root) / url[len(prefix) :]
