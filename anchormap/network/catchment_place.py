"""The walking catchment of our network's sites as a place: the LSOAs whose representative point
is within N minutes' walk of any site (the ``network`` part of a place, see
:mod:`anchormap.geo.places`).

Walking uses the app's model (:mod:`anchormap.analysis.catchment` with the river-aware
``"river"`` model by default: straight lines on each side of the Thames, a walk across it by the
crossing open on foot that makes it shortest), minutes turned into metres by
:func:`~anchormap.analysis.catchment.walk_radius_m` (detour factor 1.3 at 4.8 km/h). Distances
are metres in British National Grid (EPSG:27700).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from anchormap.analysis import catchment as cm
from anchormap.analysis.gaps import prepare
from anchormap.analysis.river import DEFAULT_WALKING
from anchormap.errors import AnchorMapError

DEFAULT_MINUTES = 15
"""The catchment's walking time (minutes) unless another is chosen."""


def network_catchment_lsoas(
    network: pd.DataFrame,
    edition: int,
    minutes: float = DEFAULT_MINUTES,
    *,
    walking: str = DEFAULT_WALKING,
    detour: float = cm.DETOUR_FACTOR,
    walk_kmh: float = cm.WALK_KMH,
) -> frozenset[str]:
    """LSOA codes (of ``edition``'s vintage) within ``minutes`` of walking of any site of ``network``.

    Parameters
    ----------
    network : DataFrame
        Our network's sites (anchors schema: ``easting``/``northing`` in EPSG:27700 metres,
        ``category``, ``name``, ``anchor_id``, ``status``), e.g.
        :func:`anchormap.network.lists.read_network_csv`.
    edition : int
        The IoD edition whose LSOAs are returned (2019: LSOA 2011; 2025: LSOA 2021).
    minutes : float
        Walking time in minutes (default 15).
    walking : str
        The walking model (default ``"river"``, the app's).
    detour, walk_kmh : float
        Detour factor and walking speed (km/h) turning minutes into metres.

    Returns
    -------
    frozenset of str

    Raises
    ------
    AnchorMapError
        When the network has no site, or the walking time is not a positive number.
    """
    if network is None or len(network) == 0:
        raise AnchorMapError("Our network has no site: choose members or upload a list on Our network first.")
    radius = cm.walk_radius_m(minutes, detour, walk_kmh)
    ctx = prepare(edition, network, "our network", max_radius_m=max(radius, 1.0), walking=walking, detour=detour)
    table = cm.catchment_table(ctx.index, radius, None, accessibility=False)
    return frozenset(table.loc[table["anchors_in_catchment"] > 0, "lsoa_code"])


def network_lsoas_for(network: pd.DataFrame, minutes: float = DEFAULT_MINUTES) -> Callable[[int], frozenset[str]]:
    """The ``network_lsoas`` callable :func:`anchormap.geo.places.resolve_place` takes, for ``network``.

    Parameters
    ----------
    network : DataFrame
        Our network's sites (see :func:`network_catchment_lsoas`).
    minutes : float
        Walking time in minutes (default 15).

    Returns
    -------
    callable
        Edition -> LSOA codes in the catchment (worked out once per edition).
    """
    held: dict[int, frozenset[str]] = {}

    def lsoas(edition: int) -> frozenset[str]:
        if edition not in held:
            held[edition] = network_catchment_lsoas(network, edition, minutes)
        return held[edition]

    return lsoas
