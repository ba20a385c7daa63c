"""Atomic file writes: write beside the target, then move into place in one step.

A reader never sees a half-written file, and a failure part-way leaves whatever was
there before untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path | str, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success move it onto ``target``.

    A context manager. The target's directory is created if missing. The temporary file
    does not exist when yielded (writers such as GDAL refuse to overwrite), so the body
    must create it.

    Parameters
    ----------
    target : pathlib.Path or str
        The file to write.
    suffix : str, optional
        Suffix for the temporary name (e.g. ``".gpkg"``); by default the target's own
        suffix. The temporary name keeps it so that writers that pick a format from the
        file name (GDAL, pandas) still do the right thing.

    Yields
    ------
    pathlib.Path
        The temporary path, in the target's directory. When the body finishes it is
        moved onto ``target`` in one step (``os.replace``).

    Notes
    -----
    On any exception the temporary file is removed and the target is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".part" + (suffix or target.suffix), dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # writers such as GDAL refuse to overwrite; let them create it
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text(target: Path | str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` atomically.

    Parameters
    ----------
    target : pathlib.Path or str
        The file to write; its directory is created if missing.
    text : str
        The whole content, encoded as UTF-8.

    Returns
    -------
    None
    """
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
