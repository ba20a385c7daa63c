"""Command families of the ``anchormap`` command line, one module each."""
