"""Where things live: the repository, the manifest, the mirror and the cache.

Every location can be overridden by an environment variable so that tests, CI and
officers' own machines can point elsewhere without editing code:

- ``ANCHORMAP_MIRROR``: directory holding the published files (default ``../shared/data/raw``
  beside the repository, when it exists).
- ``ANCHORMAP_CACHE``: directory for downloads and built layers (default ``data/cache``,
  git-ignored).
- ``ANCHORMAP_MANIFEST``: the data source manifest (default ``data/sources.toml``).
- ``ANCHORMAP_OFFLINE=1``: never try to download (a laptop with no network fails fast).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MANIFEST = REPO_ROOT / "data" / "sources.toml"
DEFAULT_CACHE = REPO_ROOT / "data" / "cache"
DEFAULT_MIRROR = REPO_ROOT.parent / "shared" / "data" / "raw"


def manifest_path() -> Path:
    """The data source manifest (TOML).

    Returns
    -------
    pathlib.Path
        ``ANCHORMAP_MANIFEST`` when set, else ``data/sources.toml`` in the repository.
    """
    return Path(os.environ.get("ANCHORMAP_MANIFEST", DEFAULT_MANIFEST))


def cache_dir() -> Path:
    """The cache directory for downloads and built layers (created on demand).

    Returns
    -------
    pathlib.Path
        ``ANCHORMAP_CACHE`` when set, else ``data/cache`` in the repository. This function
        does not create it; whoever writes there does.
    """
    return Path(os.environ.get("ANCHORMAP_CACHE", DEFAULT_CACHE))


def mirror_dir() -> Path | None:
    """The local mirror of published files, or None when there is none.

    Returns
    -------
    pathlib.Path or None
        ``ANCHORMAP_MIRROR`` wins (an empty value means "no mirror", None); otherwise the
        default ``../shared/data/raw`` beside the repository is used when it exists, and
        None when it does not.
    """
    env = os.environ.get("ANCHORMAP_MIRROR")
    if env is not None:
        return Path(env) if env.strip() else None
    return DEFAULT_MIRROR if DEFAULT_MIRROR.is_dir() else None


def offline() -> bool:
    """True when downloads are switched off (``ANCHORMAP_OFFLINE`` set to 1/true/yes).

    Returns
    -------
    bool
        True when ``ANCHORMAP_OFFLINE`` is ``1``, ``true`` or ``yes`` (any case, spaces
        ignored); False otherwise, including when it is unset.
    """
    return os.environ.get("ANCHORMAP_OFFLINE", "").strip().lower() in {"1", "true", "yes"}


DEFAULT_SETTINGS = REPO_ROOT / "anchormap.toml"


def settings() -> dict:
    """The deployment's settings file: ``ANCHORMAP_CONFIG``, default ``anchormap.toml`` in the repository.

    A TOML file with optional keys ``read_only`` (true for a community-session kiosk) and
    ``store`` (as ``ANCHORMAP_STORE``). Environment variables win over it.

    Returns
    -------
    dict
        The file's keys; empty when there is no file.

    Raises
    ------
    anchormap.errors.AnchorMapError
        When the file exists but is not valid TOML (the message names the file and line).
    """
    import tomllib

    from anchormap.errors import AnchorMapError

    path = Path(os.environ.get("ANCHORMAP_CONFIG", DEFAULT_SETTINGS))
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        msg = f"The settings file {path} cannot be read: {exc}."
        raise AnchorMapError(msg) from None


def read_only() -> bool:
    """True for a read-only deployment (a kiosk at a community session): no write control, every write refused.

    Returns
    -------
    bool
        ``ANCHORMAP_READ_ONLY`` when set (1/true/yes means read-only; 0/false/no means not),
        else the settings file's ``read_only`` (see :func:`settings`), else False.
    """
    env = os.environ.get("ANCHORMAP_READ_ONLY", "").strip().lower()
    if env:
        return env in {"1", "true", "yes"}
    return bool(settings().get("read_only", False))
