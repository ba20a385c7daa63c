"""What a UK postcode looks like: the lookup key, the canonical form, full postcodes and outward codes.

Pure text rules with no data behind them, so that the ``postcodes`` layer builder
(:mod:`anchormap.data.layers.postcodes`) can use them without importing the lookup
(:mod:`anchormap.geo.postcodes`, which reads the built layer: that import would be a cycle
data.build -> data.layers -> data.layers.postcodes -> geo.postcodes -> data.build). Everyone
else imports them from :mod:`anchormap.geo.postcodes`.

>>> postcode_key(" se6 4ru "), format_postcode("se64ru"), outward_code("SE64RU")
('SE64RU', 'SE6 4RU', 'SE6')
>>> is_full_postcode("SE6"), is_outward_code("SE6")
(False, True)
"""

from __future__ import annotations

import re

_NON_ALNUM = re.compile(r"[^A-Z0-9]")
# Full UK postcode: outward code (2-4 chars) + inward code (digit + 2 letters).
_FULL = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


def postcode_key(text: object) -> str:
    """Normalised lookup key: upper case, letters and digits only ("se6 4ru" -> "SE64RU")."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return _NON_ALNUM.sub("", str(text).upper())


def is_full_postcode(text: object) -> bool:
    """True for a syntactically complete UK postcode in any case or spacing."""
    return bool(_FULL.match(postcode_key(text)))


def is_outward_code(text: object) -> bool:
    """True for an outward code alone ("SE6")."""
    return bool(_OUTWARD.match(postcode_key(text)))


def outward_code(text: object) -> str:
    """The outward code (postcode district) of a full postcode or of an outward code alone, else ""."""
    key = postcode_key(text)
    if _FULL.match(key):
        return key[:-3]
    return key if _OUTWARD.match(key) else ""


def format_postcode(text: object) -> str:
    """Canonical form with one space before the inward code ("se64ru" -> "SE6 4RU")."""
    key = postcode_key(text)
    return f"{key[:-3]} {key[-3:]}" if len(key) >= 5 else key
