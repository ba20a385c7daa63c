"""A number for a table's content, the key of caches built from tables (no heavy imports)."""

from __future__ import annotations

import pandas as pd


def frame_fingerprint(frame: pd.DataFrame | None) -> int:
    """A number that changes when any value of ``frame`` (geometry aside) changes: the key of
    caches built from a table held in the session, such as our network.

    Parameters
    ----------
    frame : DataFrame or None

    Returns
    -------
    int
        0 for None.
    """
    if frame is None:
        return 0
    plain = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    return int(pd.util.hash_pandas_object(plain, index=False).sum())
