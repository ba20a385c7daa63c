"""``python -m anchormap``: the same command line as the ``anchormap`` script."""

import sys

from anchormap.cli import main

sys.exit(main())
