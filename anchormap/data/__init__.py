"""Data: the source manifest, resolving datasets, building layers, writing exports."""
