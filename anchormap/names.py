"""Organisation and site names: tidying upper-case registers and loose matching keys.

Registers such as NHS ODS publish names in capitals ("BARTS HEALTH NHS TRUST");
:func:`tidy_name` turns them into readable title case while keeping acronyms.
:func:`match_key` reduces a name to a set of significant words so that
"The Royal Academy of Music" and "Royal Academy of Music" (or "Roehampton University"
and "University of Roehampton") are recognised as the same organisation.
"""

from __future__ import annotations

import re

ACRONYMS = frozenset(
    {
        "NHS",
        "GP",
        "GPS",
        "PCN",
        "OOH",
        "UCL",
        "UCLH",
        "BCSC",
        "BCSS",
        "HIV",
        "CCG",
        "UK",
        "FT",
        "EAS",
        "CIC",
        "LLP",
        "II",
        "III",
        "IV",
        "SE",
        "SW",
        "NW",
        "NE",
        "ENT",
        "ICB",
        "CAMHS",
        "UTC",
        "LSE",
        "SOAS",
        "GLA",
        "YMCA",
        "UCC",
        "PMS",
        "APMS",
        "PLC",
    }
)
SMALL_WORDS = frozenset({"and", "of", "the", "for", "on", "at", "in", "to", "by", "with", "upon"})
# Words that say what kind of body something is rather than which one.
GENERIC_WORDS = frozenset(
    {
        "the",
        "of",
        "and",
        "for",
        "in",
        "at",
        "london",
        "university",
        "college",
        "ltd",
        "limited",
        "plc",
        "group",
        "trust",
        "foundation",
        "nhs",
        "uk",
        "institute",
        "school",
        "mayor",
    }
)
_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _is_blank(text: object) -> bool:
    return text is None or (isinstance(text, float) and text != text) or not str(text).strip()


def clean_text(text: object) -> str:
    """``text`` as a stripped string; missing values (None, NaN) become "".

    Parameters
    ----------
    text : object
        Any value; non-strings are converted with ``str``.

    Returns
    -------
    str
        The text with leading and trailing space removed and inner runs of whitespace
        collapsed to one space; ``""`` for None, NaN and blank strings.

    Examples
    --------
    >>> clean_text("  Barts   Health ")
    'Barts Health'
    >>> clean_text(float("nan"))
    ''
    """
    return "" if _is_blank(text) else " ".join(str(text).split())


def tidy_name(text: object) -> str:
    """Readable case for a name published in capitals; other names are only stripped.

    Words in :data:`ACRONYMS` stay in capitals; :data:`SMALL_WORDS` ("and", "of", ...) are
    lower-cased except as the first word; every other word is capitalised.

    Parameters
    ----------
    text : object
        A name; missing values (None, NaN) are allowed.

    Returns
    -------
    str
        The name in title case when it was all capitals; otherwise the name as
        :func:`clean_text` gives it (mixed-case names and names without letters are left
        alone).

    Examples
    --------
    >>> tidy_name("BARTS HEALTH NHS TRUST")
    'Barts Health NHS Trust'
    >>> tidy_name("ST LUKE'S HOSPICE")
    "St Luke's Hospice"
    >>> tidy_name("THE ROYAL ACADEMY OF MUSIC")
    'The Royal Academy of Music'
    >>> tidy_name("  Royal Free London ")
    'Royal Free London'
    """
    name = clean_text(text)
    if not name or name != name.upper() or not any(c.isalpha() for c in name):
        return name

    words = _WORD.findall(name)
    first = words[0] if words else ""

    def fix(match: re.Match) -> str:
        word = match.group(0)
        if word.upper() in ACRONYMS:
            return word.upper()
        if word.lower() in SMALL_WORDS and match.start() > name.find(first):
            return word.lower()
        return word[:1].upper() + word[1:].lower()

    return _WORD.sub(fix, name)


COUNCIL_WORDS = frozenset({"council", "borough", "royal", "local", "authority", "corporation", "city"})
"""Words that only say a body is a council ("Camden Council", "Camden (local authority)")."""


def match_key(text: object, extra_generic: frozenset[str] = frozenset()) -> frozenset[str]:
    """Significant lower-case words of a name ("&" read as "and"; generic words dropped).

    Parameters
    ----------
    text : object
        A name; missing values (None, NaN) give an empty key.
    extra_generic : frozenset of str, optional
        More lower-case words to ignore besides :data:`GENERIC_WORDS` (e.g.
        :data:`COUNCIL_WORDS`).

    Returns
    -------
    frozenset of str
        The significant words. Falls back to all words when every word is generic, so
        "University of London" still has a key.

    Examples
    --------
    >>> sorted(match_key("The Royal Academy of Music"))
    ['academy', 'music', 'royal']
    >>> sorted(match_key("University of London"))
    ['london', 'of', 'university']
    >>> sorted(match_key("Camden Council", COUNCIL_WORDS))
    ['camden']
    """
    words = _NON_WORD.split(clean_text(text).lower().replace("&", " and "))
    words = [w for w in words if w]
    significant = [w for w in words if w not in GENERIC_WORDS and w not in extra_generic]
    return frozenset(significant or words)


def names_match(a: object, b: object, extra_generic: frozenset[str] = frozenset()) -> bool:
    """True when one name's significant words all appear in the other's (both non-empty).

    Parameters
    ----------
    a, b : object
        The two names; missing values never match.
    extra_generic : frozenset of str, optional
        More words to ignore, as for :func:`match_key`.

    Returns
    -------
    bool
        True when both keys are non-empty and one is a subset of the other.

    Examples
    --------
    >>> names_match("Roehampton University", "University of Roehampton")
    True
    >>> names_match("Barts Health NHS Trust", "Royal Free London NHS Foundation Trust")
    False

    Loose by design: generic words such as "college" drop out, so a name whose
    significant words are a subset of another's matches it:

    >>> names_match("Royal College of Music", "Royal Academy of Music")
    True
    """
    ka, kb = match_key(a, extra_generic), match_key(b, extra_generic)
    return bool(ka) and bool(kb) and (ka <= kb or kb <= ka)
