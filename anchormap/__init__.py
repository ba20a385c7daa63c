"""AnchorMap: London's anchor institutions, deprivation and shared land on one map.

All logic lives in this package; the Streamlit pages in ``pages/`` and ``app.py`` only
arrange widgets and call it, and the ``anchormap`` command line calls the same functions.
"""

__version__ = "0.1.0"
