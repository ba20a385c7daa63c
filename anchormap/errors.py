"""Errors that carry a message meant for people, shown without a traceback."""


class AnchorMapError(ValueError):
    """A problem a person can fix: the message says what happened and what to do."""


class DataSourceError(AnchorMapError):
    """A dataset could not be found, downloaded or read."""


class UnreadableFileError(AnchorMapError):
    """An uploaded file broke the reader in a way nobody foresaw (the message names the file)."""


def unexpected_file_error(file_name: str, exc: BaseException) -> UnreadableFileError:
    """A plain message for an unforeseen failure while reading ``file_name``.

    Readers of uploads catch their own known problems as AnchorMapError; anything else (a bug,
    a library choking on a strange file) must still reach the person as a message naming the
    file, never as a traceback. The traceback goes to the log for the maintainers.

    Parameters
    ----------
    file_name : str
        The file's name as the person knows it (shown in the message).
    exc : BaseException
        The unforeseen exception; logged with its traceback to the ``anchormap`` logger at
        ERROR level, and only its type name goes into the message.

    Returns
    -------
    UnreadableFileError
        The error to raise (this function does not raise it), typically
        ``raise unexpected_file_error(name, exc) from exc``.
    """
    import logging

    logging.getLogger("anchormap").error("unexpected error while reading %s", file_name, exc_info=exc)
    msg = (
        f"{file_name} could not be read ({type(exc).__name__}). Check that it is the kind of file asked "
        "for and that it opens in a spreadsheet; if it does, please send it to the AnchorMap maintainers."
    )
    return UnreadableFileError(msg)
