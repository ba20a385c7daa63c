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
    """``text`` as a stripped string; missing values (None, NaN) become ""."""
    return "" if _is_blank(text) else " ".join(str(text).split())


def tidy_name(text: object) -> str:
    """Readable case for a name published in capitals; other names are only stripped.

    "BARTS HEALTH NHS TRUST" -> "Barts Health NHS Trust"; "ST LUKE'S HOSPICE" -> "St Luke's Hospice".
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

    ``extra_generic``: more words to ignore (e.g. :data:`COUNCIL_WORDS`). Falls back to all
    words when every word is generic, so "University of London" still has a key.
    """
    words = _NON_WORD.split(clean_text(text).lower().replace("&", " and "))
    words = [w for w in words if w]
    significant = [w for w in words if w not in GENERIC_WORDS and w not in extra_generic]
    return frozenset(significant or words)


def names_match(a: object, b: object, extra_generic: frozenset[str] = frozenset()) -> bool:
    """True when one name's significant words all appear in the other's (both non-empty)."""
    ka, kb = match_key(a, extra_generic), match_key(b, extra_generic)
    return bool(ka) and bool(kb) and (ka <= kb or kb <= ka)
