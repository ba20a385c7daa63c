"""The data source manifest and resolving a dataset to a readable local file.

Each dataset in ``data/sources.toml`` resolves, in this order, to:

1. the cache (``<cache>/downloads/<path>``), where earlier downloads are kept;
2. the mirror directory (``ANCHORMAP_MIRROR`` or ``--mirror``; default ``../shared/data/raw``);
3. a download of its ``download_url`` with ``requests``: streamed, with timeouts, retried
   with back-off, written to a temporary file and moved into place only when complete
   and its checksum matches.

When none works the error names the dataset and every way to supply it.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging
import os
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

import anchormap.config as config
from anchormap.atomic import atomic_path
from anchormap.errors import DataSourceError

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]
"""Progress callback: (label, bytes so far, total bytes or None)."""


@dataclass(frozen=True)
class Dataset:
    """One published dataset, as described in the manifest.

    Attributes
    ----------
    id : str
        The dataset's key in ``data/sources.toml``.
    title, publisher, edition, licence, attribution : str
        What it is, who publishes it, which edition, under which licence and the credit
        line to show.
    path : str
        Path of the primary file, relative to the mirror or ``<cache>/downloads``.
    format : str
        File format (e.g. ``"shapefile"``, ``"csv"``).
    official_url : str
        The publisher's page ("" when none).
    download_url : str or None
        Direct download of the primary file; None when there is none (e.g. the mirror
        file is a London cut of a larger publication).
    sha256 : str or None
        Expected SHA-256 (hex) of the primary file; None means unchecked.
    companions : tuple of str
        Suffixes of files that go with the primary one (shapefile parts such as ``".dbf"``).
    name : str
        A short name people read beside a fact ("NHS estates return"); ``title`` when the
        manifest gives none.
    as_of : str
        When the facts describe, in words ("2016/17", "about 2022"); ``edition`` when unset.
    edition_date : datetime.date or None
        That date (the end of the period; 1 January for a bare year), from which a fact's age
        is counted (see :mod:`anchormap.data.fact_dates`).
    optional : bool
        True for a dataset nothing needs (a large "latest" download such as an OpenStreetMap
        extract): no default layer reads it, a missing copy is reported rather than an error,
        and it may have no ``sha256`` (the file changes with every release).
    """

    id: str
    title: str
    publisher: str
    edition: str
    licence: str
    attribution: str
    path: str
    format: str
    official_url: str = ""
    download_url: str | None = None
    sha256: str | None = None
    companions: tuple[str, ...] = field(default_factory=tuple)
    name: str = ""
    as_of: str = ""
    edition_date: datetime.date | None = None
    optional: bool = False

    @property
    def files(self) -> list[str]:
        """Relative paths of the primary file and its companions (shapefile parts).

        Returns
        -------
        list of str
            ``path`` first, then ``path`` with each companion suffix in place of its own.

        Examples
        --------
        >>> ds = Dataset("b", "Boroughs", "ONS", "2022", "OGL", "ONS", "b/lad.shp", "shapefile",
        ...              download_url="https://example.org/lad.shp", companions=(".shx", ".dbf"))
        >>> ds.files
        ['b/lad.shp', 'b/lad.shx', 'b/lad.dbf']
        >>> ds.companion_urls()[1]
        ('b/lad.shx', 'https://example.org/lad.shx')
        """
        primary = Path(self.path)
        return [self.path] + [str(primary.with_suffix(ext)) for ext in self.companions]

    def companion_urls(self) -> list[tuple[str, str]]:
        """(relative path, URL) for every file to download, primary first.

        A companion's URL is ``download_url`` with its last suffix replaced by the
        companion's.

        Returns
        -------
        list of tuple of str
            ``(relative path, URL)`` pairs in the order of :attr:`files`; empty when the
            dataset has no ``download_url``.
        """
        if not self.download_url:
            return []
        base, _, _ = self.download_url.rpartition(".")
        out = [(self.path, self.download_url)]
        for ext in self.companions:
            out.append((str(Path(self.path).with_suffix(ext)), base + ext))
        return out


def _edition_date(path: Path, ds_id: str, value: object) -> datetime.date | None:
    """The manifest's ``edition_date`` as a date (None when absent), or DataSourceError."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        msg = f"Manifest {path}: dataset '{ds_id}' has edition_date {value!r}, not a date (write it as 2017-03-31)."
        raise DataSourceError(msg) from None


_REQUIRED = ("title", "publisher", "edition", "licence", "attribution", "path", "format")


def load_manifest(path: Path | None = None) -> dict[str, Dataset]:
    """Read the manifest (TOML) into {dataset id: Dataset}.

    Parameters
    ----------
    path : pathlib.Path, optional
        The manifest; default :func:`anchormap.config.manifest_path`.

    Returns
    -------
    dict of str to Dataset
        Every entry of its ``[datasets]`` table, in file order.

    Raises
    ------
    DataSourceError
        When the file does not exist, is not valid TOML, or an entry lacks one of title,
        publisher, edition, licence, attribution, path or format.
    """
    # parsed once per file version: pop-ups ask it for every one of ~9,000 rows
    # abspath, not resolve(): no filesystem walk on a call made once per pop-up row
    return dict(_parsed_manifest(*manifest_version(path)))


def manifest_version(path: Path | None = None) -> tuple[str, int, int]:
    """What identifies the manifest's current content: (absolute path, modification time in ns, size).

    Caches of words worked out from the manifest key on it (:func:`anchormap.words.source_and_date`).

    Raises
    ------
    DataSourceError
        When the file does not exist.
    """
    path = Path(path) if path else config.manifest_path()
    try:
        stamp = path.stat()
    except FileNotFoundError:
        msg = f"The data source manifest {path} does not exist."
        raise DataSourceError(msg) from None
    return os.path.abspath(path), stamp.st_mtime_ns, stamp.st_size


@functools.lru_cache(maxsize=8)
def _parsed_manifest(path_text: str, _mtime_ns: int, _size: int) -> dict[str, Dataset]:
    """The manifest at ``path_text`` parsed; the stamp arguments only key the cache."""
    path = Path(path_text)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"The data source manifest {path} does not exist."
        raise DataSourceError(msg) from None
    except tomllib.TOMLDecodeError as exc:
        msg = f"The data source manifest {path} is not valid TOML: {exc}"
        raise DataSourceError(msg) from None
    out: dict[str, Dataset] = {}
    for ds_id, entry in raw.get("datasets", {}).items():
        missing = [k for k in _REQUIRED if not entry.get(k)]
        if missing:
            msg = f"Manifest {path}: dataset '{ds_id}' lacks {', '.join(missing)}."
            raise DataSourceError(msg)
        out[ds_id] = Dataset(
            id=ds_id,
            title=entry["title"],
            publisher=entry["publisher"],
            edition=entry["edition"],
            licence=entry["licence"],
            attribution=entry["attribution"],
            path=entry["path"],
            format=entry["format"],
            official_url=entry.get("official_url", ""),
            download_url=entry.get("download_url") or None,
            sha256=entry.get("sha256") or None,
            companions=tuple(entry.get("companions", ())),
            name=entry.get("name") or entry["title"],
            as_of=entry.get("as_of") or entry["edition"],
            edition_date=_edition_date(path, ds_id, entry.get("edition_date")),
            optional=bool(entry.get("optional", False)),
        )
    return out


def get_dataset(dataset_id: str, manifest: dict[str, Dataset] | None = None) -> Dataset:
    """The manifest entry for ``dataset_id``.

    Parameters
    ----------
    dataset_id : str
        A key of the manifest.
    manifest : dict of str to Dataset, optional
        The manifest; by default :func:`load_manifest` reads it.

    Returns
    -------
    Dataset

    Raises
    ------
    DataSourceError
        When the id is unknown (the message lists the known ones), or as
        :func:`load_manifest`.
    """
    manifest = manifest if manifest is not None else load_manifest()
    try:
        return manifest[dataset_id]
    except KeyError:
        msg = f"Unknown dataset '{dataset_id}'. Known: {', '.join(sorted(manifest))}."
        raise DataSourceError(msg) from None


@dataclass(frozen=True)
class Resolved:
    """Where a dataset was found: ``origin`` is 'cache', 'mirror' or 'download'.

    Attributes
    ----------
    dataset : Dataset
        The manifest entry.
    path : pathlib.Path
        The local primary file (its companions lie beside it).
    origin : str
        ``"cache"``, ``"mirror"`` or ``"download"``.
    """

    dataset: Dataset
    path: Path
    origin: str


_SHA_MEMO: dict[tuple[str, int, int], str] = {}


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, remembered while its size and modification time stay the same.

    Parameters
    ----------
    path : pathlib.Path
        An existing file.

    Returns
    -------
    str
        The digest as 64 lower-case hex digits.
    """
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _SHA_MEMO:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        _SHA_MEMO[key] = h.hexdigest()
    return _SHA_MEMO[key]


def download_dir(cache: Path | None = None) -> Path:
    """Where downloaded files are kept: ``<cache>/downloads``.

    Parameters
    ----------
    cache : pathlib.Path, optional
        The cache directory; default :func:`anchormap.config.cache_dir`.

    Returns
    -------
    pathlib.Path
        ``<cache>/downloads`` (not created here).
    """
    return (cache or config.cache_dir()) / "downloads"


def _all_present(root: Path, ds: Dataset) -> bool:
    return all((root / f).is_file() for f in ds.files)


def _check_checksum(ds: Dataset, path: Path, where: str) -> None:
    if ds.sha256 and sha256_of(path) != ds.sha256:
        msg = (
            f"Dataset '{ds.id}' ({ds.title}): the file {path} in the {where} is corrupt or not the "
            f"edition the manifest expects (its SHA-256 differs from data/sources.toml). "
            f"Replace it with the published file from {ds.official_url or ds.download_url}, "
            f"or, if you updated it on purpose, update sha256 for '{ds.id}' in the manifest."
        )
        raise DataSourceError(msg)


def resolve(
    dataset: Dataset | str,
    *,
    mirror: Path | None = None,
    cache: Path | None = None,
    allow_download: bool = True,
    progress: Progress | None = None,
    download_options: dict | None = None,
) -> Resolved:
    """Find a readable local copy of ``dataset``: cache, then mirror, then download.

    The cache or mirror is used only when every file of the dataset (:attr:`Dataset.files`)
    is there. A primary file found there whose SHA-256 differs from the manifest's is an
    error, not a reason to look further.

    Parameters
    ----------
    dataset : Dataset or str
        A manifest entry, or its id (looked up with :func:`get_dataset`).
    mirror : pathlib.Path, optional
        The mirror directory; default :func:`anchormap.config.mirror_dir` (may be none).
    cache : pathlib.Path, optional
        The cache directory; default :func:`anchormap.config.cache_dir`.
    allow_download : bool, optional
        Whether to download when neither has it (never when ``ANCHORMAP_OFFLINE`` is set).
    progress : Progress, optional
        Called during downloads with (label, bytes so far, total bytes or None).
    download_options : dict, optional
        Passed to :func:`download_file` (timeout, retries, backoff).

    Returns
    -------
    Resolved
        The dataset, the local path of its primary file and where it came from. Downloads
        go to ``<cache>/downloads/<path>``; only the primary file's checksum is checked.

    Raises
    ------
    DataSourceError
        Naming the dataset and the ways to supply it when there is no copy; also when a
        cached or mirrored file fails its checksum, or the id is unknown.
    """
    ds = get_dataset(dataset) if isinstance(dataset, str) else dataset
    mirror = mirror if mirror is not None else config.mirror_dir()
    downloads = download_dir(cache)

    if _all_present(downloads, ds):
        path = downloads / ds.path
        _check_checksum(ds, path, "download cache")
        return Resolved(ds, path, "cache")

    if mirror is not None and _all_present(mirror, ds):
        path = mirror / ds.path
        _check_checksum(ds, path, f"mirror {mirror}")
        return Resolved(ds, path, "mirror")

    tried = []
    if mirror is None:
        tried.append("no mirror directory is set (ANCHORMAP_MIRROR or --mirror)")
    else:
        missing = [f for f in ds.files if not (mirror / f).is_file()]
        tried.append(f"the mirror {mirror} lacks {', '.join(missing)}")

    allow_download = allow_download and not config.offline()
    if ds.download_url and allow_download:
        try:
            for rel, url in ds.companion_urls():
                expected = ds.sha256 if rel == ds.path else None
                download_file(
                    url,
                    downloads / rel,
                    label=ds.id,
                    expected_sha256=expected,
                    progress=progress,
                    **(download_options or {}),
                )
            return Resolved(ds, downloads / ds.path, "download")
        except DataSourceError as exc:
            tried.append(str(exc))
    elif ds.download_url:
        tried.append("downloads are switched off (--no-download or ANCHORMAP_OFFLINE)")
    else:
        tried.append("it has no direct download (the mirror file is a London cut of a larger publication)")

    msg = (
        f"Dataset '{ds.id}' ({ds.title}) is not available: {'; '.join(tried)}. "
        f"To supply it, put {ds.path} under a mirror directory and pass --mirror DIR "
        f"(or set ANCHORMAP_MIRROR), or connect to the internet"
        + (f" so it can be downloaded from {ds.download_url}" if ds.download_url else "")
        + (f"; the publisher's page is {ds.official_url}" if ds.official_url else "")
        + "."
    )
    raise DataSourceError(msg)


def download_file(
    url: str,
    dest: Path,
    *,
    label: str,
    expected_sha256: str | None = None,
    timeout: tuple[float, float] = (10.0, 30.0),
    retries: int = 3,
    backoff: float = 1.0,
    progress: Progress | None = None,
    session: requests.Session | None = None,
) -> Path:
    """Download ``url`` to ``dest``, streamed, retried with exponential back-off.

    ``timeout`` is (connect, read) in seconds; a server that stops sending for longer than
    the read timeout counts as a failure. The body goes to a temporary file beside
    ``dest`` and is moved into place only when its length matches ``Content-Length`` and
    its SHA-256 matches ``expected_sha256`` (when given), so ``dest`` never holds a partial
    or corrupt file.

    Parameters
    ----------
    url : str
        What to download.
    dest : pathlib.Path
        Where to put it (its directory is created if missing).
    label : str
        The dataset id, for progress and messages.
    expected_sha256 : str, optional
        Hex SHA-256 the file must have; a mismatch is retried like a failed download.
    timeout : tuple of float, optional
        (connect, read) timeouts in seconds (default 10 s and 30 s).
    retries : int, optional
        Number of attempts (default 3).
    backoff : float, optional
        Seconds to wait after the first failed attempt, doubled after each further one
        (default 1 s: 1 s, then 2 s, ...).
    progress : Progress, optional
        Called with (label, bytes so far, total bytes or None) after each chunk.
    session : requests.Session, optional
        The HTTP session to use (a new one by default).

    Returns
    -------
    pathlib.Path
        ``dest``.

    Raises
    ------
    DataSourceError
        Naming ``label`` and ``url`` with the last reason after the last try. A 4xx answer
        (other than 429 Too Many Requests) is not retried; 5xx and 429 answers, timeouts,
        connection errors, truncated bodies and checksum mismatches are.
    """
    session = session or requests.Session()
    last_error = "no attempt made"
    for attempt in range(1, retries + 1):
        try:
            with atomic_path(dest) as tmp:
                _stream_to(session, url, tmp, timeout=timeout, label=label, progress=progress)
                if expected_sha256:
                    got = sha256_of(tmp)
                    if got != expected_sha256:
                        msg = f"checksum mismatch (got {got[:12]}…, expected {expected_sha256[:12]}…)"
                        raise _RetryableError(msg)
            return dest
        except (_RetryableError, requests.RequestException) as exc:
            last_error = _describe(exc)
            log.warning("download of %s from %s failed (attempt %d/%d): %s", label, url, attempt, retries, last_error)
            if isinstance(exc, _FatalHTTPError):
                break
            if attempt < retries:
                time.sleep(backoff * 2 ** (attempt - 1))
    msg = f"Download of dataset '{label}' from {url} failed: {last_error}"
    raise DataSourceError(msg)


class _RetryableError(Exception):
    pass


class _FatalHTTPError(_RetryableError):
    """A 4xx answer: retrying will not help."""


def _describe(exc: BaseException) -> str:
    """A short, plain reason for a failed download (requests wraps urllib3's errors)."""
    text = " ".join(repr(e) for e in _chain(exc))
    if isinstance(exc, requests.Timeout) or "ReadTimeout" in text or "timed out" in text:
        return "the server stopped responding (read timed out)"
    if "IncompleteRead" in text or isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "truncated body: the connection closed before the whole file arrived"
    if isinstance(exc, requests.ConnectionError):
        return "could not connect to the server"
    return str(exc)


def _chain(exc: BaseException | None):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = (
            exc.__cause__
            or exc.__context__
            or (exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None)
        )


def _stream_to(
    session: requests.Session,
    url: str,
    tmp: Path,
    *,
    timeout: tuple[float, float],
    label: str,
    progress: Progress | None,
) -> None:
    with session.get(url, stream=True, timeout=timeout) as resp:
        if resp.status_code >= 500 or resp.status_code == 429:
            msg = f"HTTP {resp.status_code} from server"
            raise _RetryableError(msg)
        if resp.status_code >= 400:
            msg = f"HTTP {resp.status_code} from server"
            raise _FatalHTTPError(msg)
        total = resp.headers.get("Content-Length")
        total_n = int(total) if total and total.isdigit() else None
        done = 0
        with open(tmp, "wb") as fh:
            for chunk in resp.iter_content(chunk_size=1 << 16):
                fh.write(chunk)
                done += len(chunk)
                if progress:
                    progress(label, done, total_n)
        if total_n is not None and done != total_n:
            msg = f"truncated body: received {done} of {total_n} bytes"
            raise _RetryableError(msg)
