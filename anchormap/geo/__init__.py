"""Geography: postcodes, coordinates, places (:mod:`~anchormap.geo.places`) and place search (used by every stage)."""
