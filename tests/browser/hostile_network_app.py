"""Test-only entry point: the home page with a hostile "our network" list in the session.

Loads tests/browser/hostile_network.csv (names and fields that are HTML/JS payloads) as
``st.session_state["network"]``, then runs app.py unchanged. Used by the browser XSS test;
the app itself has no test hook.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

HERE = Path(__file__).resolve().parent

if "network" not in st.session_state:
    rows = pd.read_csv(HERE / "hostile_network.csv", dtype=str, keep_default_na=False)
    rows["lat"] = rows["lat"].astype(float)
    rows["lon"] = rows["lon"].astype(float)
    points = gpd.points_from_xy(rows["lon"], rows["lat"], crs=4326)
    network = gpd.GeoDataFrame(rows, geometry=points, crs=4326).to_crs(27700)
    network["easting"], network["northing"] = network.geometry.x, network.geometry.y
    st.session_state["network"] = network

runpy.run_path(str(HERE.parents[1] / "app.py"), run_name="__main__")
