"""Maps: local Leaflet assets, published geometry, overlays, legends and palettes."""
