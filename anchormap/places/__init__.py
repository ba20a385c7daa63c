"""Places: one or more boroughs, wards, MSOAs or LSOAs, a boundary file, or our network's
walking catchment, written once as text (``borough:E09000023+ward:E05...``) and resolved to
the neighbourhoods of an IoD edition. Every page and ``--place`` on the CLI use them."""

from anchormap.places.resolve import Place, join_words, resolve_place
from anchormap.places.spec import KINDS, PlaceError, PlacePart, parse_place, place_text

__all__ = ["KINDS", "Place", "PlaceError", "PlacePart", "join_words", "parse_place", "place_text", "resolve_place"]
