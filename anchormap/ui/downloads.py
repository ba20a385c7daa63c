"""A row of download buttons, one per export format (:data:`anchormap.DOWNLOADS`), lazily built."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from anchormap import DOWNLOADS, FILE_TYPES, download_name

COLUMN_WIDTHS = [1, 1.2, 1.1, 1.3, 2.2]
"""Relative widths of the buttons' columns, in :data:`DOWNLOADS` order: the last label is the longest."""


def download_buttons(file_bytes: Callable[[str, str], bytes], stem: str, key: str) -> None:
    """One download button per format of :data:`anchormap.DOWNLOADS`, in a row.

    Parameters
    ----------
    file_bytes : callable
        ``file_bytes(fmt, csv_name)`` -> the file's bytes in ``fmt``; ``csv_name`` is the CSV's
        file name, which the CSVW sidecar refers to. Called only when a button is clicked.
    stem : str
        The file name without its extension (e.g. ``"anchormap-gaps-2025-imd"``).
    key : str
        Prefix of the buttons' widget keys (``f"{key}_{fmt}"``).
    """
    csv_name = download_name(stem, "csv")
    for col, (fmt, (label, help_text)) in zip(st.columns(COLUMN_WIDTHS), DOWNLOADS.items(), strict=True):
        col.download_button(
            label,
            lambda fmt=fmt: file_bytes(fmt, csv_name),
            file_name=download_name(stem, fmt),
            mime=FILE_TYPES[fmt][0],
            key=f"{key}_{fmt}",
            help=help_text,
            on_click="ignore",
        )
