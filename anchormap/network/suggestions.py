"""Member organisations to suggest on the Our network page, from the LAIN member list."""

from __future__ import annotations

import pandas as pd

from anchormap.network.lists import lain_member_suggestions


def lain_organisations(anchors: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Organisations to suggest from the LAIN member list (suggestions only: people confirm them).

    Parameters
    ----------
    anchors : DataFrame
        The anchors layer.

    Returns
    -------
    (list of str, list of str)
        The organisations of open built-in anchors that LAIN members match by organisation
        (sorted), and the LAIN member names nothing matched
        (:func:`anchormap.network.lists.lain_member_suggestions`).
    """
    table, unmatched = lain_member_suggestions(anchors)
    return sorted(set(table.loc[table["matched_on"] == "organisation", "matched"])), unmatched
