"""Analysis: catchments, the gap ranking and area cards (no Streamlit here)."""
