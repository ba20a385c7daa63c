"""Errors that carry a message meant for people, shown without a traceback."""


class AnchorMapError(ValueError):
    """A problem a person can fix: the message says what happened and what to do."""


class DataSourceError(AnchorMapError):
    """A dataset could not be found, downloaded or read."""
