"""Member organisations to suggest on the Our network page, from the LAIN member list."""

from __future__ import annotations

import pandas as pd

from anchormap.network.lists import lain_member_suggestions


def lain_organisations(anchors: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(organisations of the built-in anchors that LAIN members match by organisation, sorted;
    LAIN member names nothing matched), from :func:`anchormap.network.lists.lain_member_suggestions`.
    Suggestions only: people confirm them."""
    table, unmatched = lain_member_suggestions(anchors)
    return sorted(set(table.loc[table["matched_on"] == "organisation", "matched"])), unmatched
