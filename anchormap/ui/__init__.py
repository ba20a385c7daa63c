"""Streamlit-side helpers (may import streamlit; analysis modules must not import this package)."""
