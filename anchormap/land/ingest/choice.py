"""Choosing the part of a file that holds the register: a workbook's sheet, a GeoPackage's
layer, or one shapefile among several in a zip.

:func:`choose_part` picks the part whose header names are recognised best
(:func:`anchormap.land.ingest.headers.header_score`) and says so in the report; when two parts
are equally likely it raises :class:`ChoiceNeeded`, which names the file and the parts, so the
page can offer a choice and the command line can be given ``--sheet NAME``.
"""

from __future__ import annotations

from anchormap.land.ingest.report import Issue, UploadError

MIN_HEADER_SCORE = 2
"""A part whose best row holds fewer known header names than this does not look like a register."""


class ChoiceNeeded(UploadError):
    """A file holds several parts (sheets, layers, shapefiles) that could each be the register.

    Attributes
    ----------
    file_name : str
        The file.
    part_word : str
        What a part is called ("sheet", "layer", "shapefile").
    choices : list of str
        The parts to choose from, as the file names them (most likely first).
    """

    def __init__(self, file_name: str, part_word: str, choices: list[str]) -> None:
        self.file_name = file_name
        self.part_word = part_word
        self.choices = list(choices)
        names = ", ".join(f"'{c}'" for c in self.choices)
        super().__init__(
            f"{file_name} has several {part_word}s that could hold the register ({names}). "
            f"Say which {part_word} to read (on the command line: --sheet NAME)."
        )


def choose_part(
    scores: dict[str, int],
    given: str | None,
    file_name: str,
    part_word: str,
    issues: list[Issue],
) -> str:
    """The name of the part to read.

    Parameters
    ----------
    scores : dict of str to int
        Part name -> how many known header names its most header-like row holds, in the
        file's order.
    given : str or None
        The part a person named (compared without regard to case or surrounding spaces).
    file_name : str
        Named in messages.
    part_word : str
        "sheet", "layer" or "shapefile".
    issues : list of Issue
        The report; a note says which part was read when there were several.

    Returns
    -------
    str
        A key of ``scores``.

    Raises
    ------
    UploadError
        When ``scores`` is empty, or ``given`` names no part.
    ChoiceNeeded
        When no part is given and the two best parts look equally like a register.

    Examples
    --------
    >>> issues = []
    >>> choose_part({"Notes": 0, "Register": 9}, None, "r.xlsx", "sheet", issues)
    'Register'
    >>> issues[0].action
    "read the sheet 'Register', whose header is recognised best"
    """
    if not scores:
        msg = f"{file_name} has no {part_word}s to read."
        raise UploadError(msg)
    names = list(scores)
    if given is not None and given.strip():
        wanted = given.strip().casefold()
        match = [n for n in names if n.strip().casefold() == wanted]
        if not match:
            listed = ", ".join(f"'{n}'" for n in names)
            msg = f"{file_name} has no {part_word} '{given.strip()}'. Its {part_word}s: {listed}."
            raise UploadError(msg)
        chosen, reason = match[0], "as asked"
    else:
        ranked = sorted(names, key=lambda n: -scores[n])  # stable: the file's order breaks ties
        chosen = ranked[0]
        if len(ranked) > 1 and scores[ranked[1]] == scores[chosen] and scores[chosen] >= MIN_HEADER_SCORE:
            tied = [n for n in ranked if scores[n] == scores[chosen]]
            raise ChoiceNeeded(file_name, part_word, tied)
        reason = "whose header is recognised best"
    if len(names) > 1:
        issues.append(
            Issue(
                None,
                None,
                f"the file has {len(names)} {part_word}s ({', '.join(names)})",
                f"read the {part_word} '{chosen}', {reason}",
                "note",
            )
        )
    return chosen
