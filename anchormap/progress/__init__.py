"""Progress: a local anchor network's shared metrics over time, kept in the store (no Streamlit here)."""
