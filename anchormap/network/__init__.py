"""A network's own list of sites ("our network"): reading it, matching organisations, placing sites."""
