"""AnchorMap: London's anchor institutions, deprivation and shared land on one map.

All logic lives in this package; the Streamlit pages in ``pages/`` and ``app.py`` only arrange
widgets and call it, and the ``anchormap`` command line calls the same functions. The names
they use are listed once, in :mod:`anchormap._api`, and importable from here.
"""

from anchormap._api import *  # noqa: F403
from anchormap._api import __all__  # noqa: F401

__version__ = "0.1.0"
