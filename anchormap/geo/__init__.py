"""Geography: postcodes, coordinates and place search (used by every stage)."""
