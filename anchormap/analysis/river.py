"""Walking that respects the River Thames: which bank a point is on, and the walk between two points.

A straight line that crosses the Thames is not a walk. With this module a walk between two
points in British National Grid (EPSG:27700, metres) is:

- on the **same bank**: the straight line, as before;
- on **opposite banks**: |a→c| + |c→b| for the crossing c open on foot that makes it shortest
  (straight lines on each side of the river to the crossing's point).

The detour factor for streets (:data:`anchormap.analysis.catchment.DETOUR_FACTOR`) still
applies on top when distances are turned into minutes. The banks and crossings come from the
``river`` layer (:mod:`anchormap.data.layers.river`, which says how the river is found and
which crossings are counted: every crossing open on foot, the Richmond Lock footbridge and the
Woolwich Ferry included; the Rotherhithe road tunnel and the cable car not).

Known simplifications: each leg is a straight line, so a leg may still cut across a bend of the
river (for example across the Greenwich peninsula) or a dock; a bridge is one point mid-river
(the Greenwich Foot Tunnel's is its south entrance); islands in the river belong to the nearer
bank. Points in the river itself (a map click on the water) are put on the nearer bank.

Everything is vectorised with numpy and shapely: labelling ~10,000 points takes a few
milliseconds, and the walk for a million pairs a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from anchormap.data.build import cached_on_layers, load_layer
from anchormap.errors import AnchorMapError

NORTH, SOUTH = 0, 1
"""Bank codes: 0 = north (left, Middlesex) bank, 1 = south (right, Surrey and Kent) bank."""
BANK_WORDS = ("north of the Thames", "south of the Thames")
WALKING_MODELS = ("straight", "river", "streets")
"""Walking models: ``"straight"`` (straight lines, the Thames ignored), ``"river"`` (straight
lines on each bank, the Thames crossed at a crossing open on foot; the default) and
``"streets"`` (shortest paths on a street network where one is supplied, the river-aware
straight lines elsewhere; see :mod:`anchormap.analysis.streets`)."""
DEFAULT_WALKING = "river"
MODEL_WORDS = {
    "straight": "straight lines (the Thames is ignored)",
    "river": "straight lines on each side of the Thames; a walk to the other bank goes by the "
    "crossing open on foot that makes it shortest",
    "streets": "shortest paths along the streets where a street network is supplied, "
    "elsewhere straight lines on each side of the Thames",
}
MODEL_SHORT = {
    "straight": "straight lines, ignoring the Thames",
    "river": "straight lines, crossing the Thames where one can on foot",
    "streets": "along central London's streets where mapped, elsewhere crossing the Thames where one can on foot",
}
"""Each walking model in a few words (exported files' About sheets)."""
_CHUNK = 250_000


def check_walking(model: str) -> str:
    """``model`` when it is one of :data:`WALKING_MODELS`, else AnchorMapError.

    >>> check_walking("river")
    'river'
    """
    if model not in WALKING_MODELS:
        msg = f"Unknown walking model '{model}': choose {', '.join(WALKING_MODELS)}."
        raise AnchorMapError(msg)
    return model


@dataclass(frozen=True)
class River:
    """The two banks (polygons, EPSG:27700) and the crossings walks may use.

    Attributes
    ----------
    north, south : shapely.Geometry
        London's land on each bank, prepared for fast point tests (BNG metres).
    crossings : pandas.DataFrame
        The counted crossings: ``crossing_id``, ``name``, ``kind``, ``x``, ``y`` (BNG metres),
        in river order from west to east; row k is crossing k.
    """

    north: object
    south: object
    crossings: pd.DataFrame

    @property
    def cxy(self) -> np.ndarray:
        """Crossing points, shape (n_crossings, 2), BNG metres."""
        return self.crossings[["x", "y"]].to_numpy(dtype=float)

    def bank_of(self, x, y) -> np.ndarray:
        """Bank of each point: :data:`NORTH` (0) or :data:`SOUTH` (1).

        Parameters
        ----------
        x, y : array-like of float
            Easting and northing in British National Grid (EPSG:27700) metres.

        Returns
        -------
        numpy.ndarray of int8
            Same length as ``x``. A point on neither bank (in the river, on an island, outside
            London) gets the nearer bank; a point without finite coordinates gets north.
        """
        x = np.atleast_1d(np.asarray(x, dtype=float))
        y = np.atleast_1d(np.asarray(y, dtype=float))
        out = np.full(len(x), NORTH, dtype=np.int8)
        ok = np.isfinite(x) & np.isfinite(y)
        south = np.zeros(len(x), dtype=bool)
        north = np.zeros(len(x), dtype=bool)
        south[ok] = shapely.contains_xy(self.south, x[ok], y[ok])
        north[ok] = ~south[ok] & shapely.contains_xy(self.north, x[ok], y[ok])
        out[south] = SOUTH
        rest = np.flatnonzero(ok & ~south & ~north)
        if rest.size:
            pts = shapely.points(x[rest], y[rest])
            nearer_south = shapely.distance(self.south, pts) < shapely.distance(self.north, pts)
            out[rest[nearer_south]] = SOUTH
        return out

    def legs(self, x, y) -> np.ndarray:
        """Straight-line metres from each point to each crossing, shape (n_points, n_crossings)."""
        xy = np.column_stack([np.atleast_1d(np.asarray(x, dtype=float)), np.atleast_1d(np.asarray(y, dtype=float))])
        c = self.cxy
        return np.hypot(xy[:, None, 0] - c[None, :, 0], xy[:, None, 1] - c[None, :, 1])

    def walk_m(self, ax, ay, bx, by) -> tuple[np.ndarray, np.ndarray]:
        """Walking distance (before the detour factor) between points a and b, element by element.

        Parameters
        ----------
        ax, ay, bx, by : array-like of float
            Two sets of points of equal length, BNG (EPSG:27700) metres.

        Returns
        -------
        metres : numpy.ndarray of float
            The straight line for points on the same bank; |a→c| + |c→b| by the best crossing
            for points on opposite banks.
        via : numpy.ndarray of int
            The crossing used (a row of :attr:`crossings`), -1 on the same bank.

        Examples
        --------
        >>> import shapely, pandas as pd
        >>> toy = River(shapely.box(0, 10, 100, 100), shapely.box(0, -100, 100, -10),
        ...             pd.DataFrame({"crossing_id": ["b"], "name": ["Bridge"], "kind": ["footbridge"],
        ...                           "x": [50.0], "y": [0.0]}))
        >>> m, via = toy.walk_m([0, 0], [20, 20], [0, 10], [-20, 30])
        >>> m.round(1).tolist(), via.tolist()
        ([107.7, 14.1], [0, -1])
        """
        ax, ay, bx, by = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (ax, ay, bx, by))
        straight = np.hypot(ax - bx, ay - by)
        cross = self.bank_of(ax, ay) != self.bank_of(bx, by)
        via = np.full(len(ax), -1, dtype=np.int64)
        rows = np.flatnonzero(cross)
        if rows.size:
            la, lb = self.legs(ax[rows], ay[rows]), self.legs(bx[rows], by[rows])
            metres, best = best_crossing(la, lb, np.arange(rows.size), np.arange(rows.size))
            straight[rows] = metres
            via[rows] = best
        via[~np.isfinite(straight)] = -1  # a missing point has no walk and no crossing
        return straight, via

    def bank_words(self, x: float, y: float) -> str:
        """ "north of the Thames" or "south of the Thames" for one BNG point (metres)."""
        return BANK_WORDS[int(self.bank_of([x], [y])[0])]


def best_crossing(
    legs_a: np.ndarray, legs_b: np.ndarray, i: np.ndarray, j: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """min over crossings c of legs_a[i, c] + legs_b[j, c], and the c that gives it, for each pair.

    Parameters
    ----------
    legs_a, legs_b : numpy.ndarray
        Metres from each point of two sets to each crossing, shapes (n_a, k) and (n_b, k).
    i, j : numpy.ndarray of int
        The pairs: rows of ``legs_a`` and ``legs_b``, of equal length.

    Returns
    -------
    metres : numpy.ndarray of float
    via : numpy.ndarray of int
        The crossing's column.

    Examples
    --------
    >>> a = np.array([[1.0, 5.0]]); b = np.array([[9.0, 2.0], [1.0, 8.0]])
    >>> m, c = best_crossing(a, b, np.array([0, 0]), np.array([0, 1]))
    >>> m.tolist(), c.tolist()
    ([7.0, 2.0], [1, 0])
    """
    metres = np.empty(len(i))
    via = np.empty(len(i), dtype=np.int64)
    for start in range(0, len(i), _CHUNK):  # bounded memory: a chunk is _CHUNK x k floats
        sl = slice(start, start + _CHUNK)
        total = legs_a[i[sl]] + legs_b[j[sl]]
        best = np.argmin(total, axis=1)
        via[sl] = best
        metres[sl] = total[np.arange(len(best)), best]
    return metres, via


def river_from_layer(layer: pd.DataFrame) -> River:
    """A :class:`River` from the ``river`` layer (:mod:`anchormap.data.layers.river`).

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        The layer, EPSG:27700.

    Returns
    -------
    River

    Raises
    ------
    AnchorMapError
        When the layer lacks a bank or has no counted crossing.
    """
    banks = layer[layer["feature"] == "bank"].set_index("bank").geometry
    if not {"north", "south"} <= set(banks.index):
        msg = "The river layer has no north and south banks; rebuild it with 'anchormap data build river --force'."
        raise AnchorMapError(msg)
    walked = layer[(layer["feature"] == "crossing") & layer["counted"].astype(bool)]
    walked = walked[~walked.geometry.is_empty]
    if walked.empty:
        msg = "The river layer has no crossing open on foot; rebuild it with 'anchormap data build river --force'."
        raise AnchorMapError(msg)
    crossings = pd.DataFrame(
        {
            "crossing_id": walked["crossing_id"].to_numpy(),
            "name": walked["name"].to_numpy(),
            "kind": walked["kind"].to_numpy(),
            "x": walked.geometry.x.to_numpy(),
            "y": walked.geometry.y.to_numpy(),
        }
    )
    north, south = banks["north"], banks["south"]
    shapely.prepare(north)
    shapely.prepare(south)
    return River(north, south, crossings)


@cached_on_layers("river", maxsize=1)
def load_river() -> River:
    """The :class:`River` of the built ``river`` layer (built on first use; kept until it is rebuilt)."""
    return river_from_layer(load_layer("river"))
