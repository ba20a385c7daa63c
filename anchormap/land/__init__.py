"""Land: the land schema, built-in assets, filters, duplicates, ingest and the store."""
