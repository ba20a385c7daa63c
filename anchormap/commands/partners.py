"""``anchormap partners``: the partners sharing the register and who may change what (the allow-list).

- ``anchormap partners add NAME [--code E09000023]``: register a partner (a council, a trust...);
  ``--code`` is its GSS code where it has one.
- ``anchormap partners grant EMAIL --partner NAME --role member|steward``: put someone on the list
  as a member of a registered partner (changes that partner's submissions and network lists) or a
  steward (every partner's, plus partners, members and the audit trail). A new grant replaces
  an earlier one of the same address (one partner per person).
- ``anchormap partners revoke EMAIL``: take someone off the list: they become a viewer.
- ``anchormap partners list``: the partners and their people, in words, with dates.

Every command takes ``--store PATH_OR_URL`` and ``--as EMAIL`` (or ``ANCHORMAP_USER``). Without
``--as`` the command line acts as the local user, who may make every change (whoever can run it
holds the store's credentials); with it, the store checks that person's role. Each change is
recorded in the audit trail by the store itself.
"""

from __future__ import annotations

import argparse
import re

import pandas as pd

from anchormap.access.people import GRANTABLE_ROLES, ROLE_WORDS
from anchormap.commands.options import add_group, add_store_options, person_from_args, store_from_args
from anchormap.words import date_words

GSS_CODE = re.compile(r"^[A-Z]\d{8}$")
"""A GSS code: a letter and eight digits (E09000023 is Lewisham)."""


def _gss_code(text: str) -> str:
    code = text.strip().upper()
    if code and not GSS_CODE.match(code):
        msg = f"{text!r} is not a GSS code (a letter and eight digits, e.g. E09000023 for Lewisham)."
        raise argparse.ArgumentTypeError(msg)
    return code


def register(sub) -> None:
    psub = add_group(
        sub,
        "partners",
        "the partners sharing the register and their members and stewards (who may change what)",
        dest="partners_command",
    )
    add = psub.add_parser("add", help="register a partner (a council, an NHS trust, a university...)")
    add.add_argument("name", metavar="NAME", help='the partner\'s name as people know it, e.g. "Lewisham Council"')
    add.add_argument("--code", type=_gss_code, default="", metavar="GSS_CODE", help="its GSS code, e.g. E09000023")
    add_store_options(add)
    add.set_defaults(func=cmd_add)

    grant = psub.add_parser(
        "grant", help="put someone on the list as a member or steward of a partner (replaces an earlier grant)"
    )
    grant.add_argument("email", metavar="EMAIL", help="the address they sign in with")
    grant.add_argument("--partner", required=True, metavar="NAME", help="a registered partner (anchormap partners add)")
    grant.add_argument(
        "--role",
        required=True,
        choices=GRANTABLE_ROLES,
        help="member: their partner's submissions and network lists; steward: every partner's, plus partners, "
        "members and the audit trail",
    )
    add_store_options(grant)
    grant.set_defaults(func=cmd_grant)

    revoke = psub.add_parser("revoke", help="take someone off the list (they can then only read)")
    revoke.add_argument("email", metavar="EMAIL")
    add_store_options(revoke)
    revoke.set_defaults(func=cmd_revoke)

    ls = psub.add_parser("list", help="the partners and their members and stewards, with dates")
    add_store_options(ls, acting=False)
    ls.set_defaults(func=cmd_list)


def cmd_add(args) -> int:
    store = store_from_args(args)
    by = person_from_args(args)
    name = " ".join(args.name.split())
    store.add_partner(name, args.code, by=by)
    code = f" (code {args.code})" if args.code else ""
    print(f"Added the partner {name}{code} to {store.where}, as {by.words}.")
    print(f'Give its people access with: anchormap partners grant EMAIL --partner "{name}" --role member')
    return 0


def cmd_grant(args) -> int:
    store = store_from_args(args)
    by = person_from_args(args)
    email = args.email.strip().lower()
    store.grant(email, args.partner, args.role, by=by)
    print(f"{email} is now a {ROLE_WORDS[args.role]} of {args.partner} in {store.where} (granted by {by.words}).")
    return 0


def cmd_revoke(args) -> int:
    store = store_from_args(args)
    by = person_from_args(args)
    email = args.email.strip().lower()
    store.revoke(email, by=by)
    print(f"{email} is no longer on the list of {store.where}: they can now only read (revoked by {by.words}).")
    return 0


def partner_lines(partners: pd.DataFrame, members: pd.DataFrame) -> list[str]:
    """The partners and their people as lines of words, with dates.

    Parameters
    ----------
    partners : pandas.DataFrame
        ``name``, ``code``, ``added_at`` (ISO 8601 UTC), as :meth:`LandStore.partners`.
    members : pandas.DataFrame
        ``email``, ``partner``, ``role``, ``granted_at``, ``granted_by``, as :meth:`LandStore.members`.

    Returns
    -------
    list of str
        One line per partner ("Lewisham Council (E09000023), added 2 December 2026: 2 people") and one
        indented line per person under it ("jo@lewisham.gov.uk: member since 2 December 2026, granted by ...").
    """
    lines = []
    by_partner = (
        {str(k).casefold(): g for k, g in members.groupby(members["partner"].astype(str))} if len(members) else {}
    )
    for p in partners.itertuples(index=False):
        people = by_partner.pop(str(p.name).casefold(), members.iloc[0:0])
        code = f" ({p.code})" if isinstance(p.code, str) and p.code else ""
        count = f"{len(people)} {'person' if len(people) == 1 else 'people'}" if len(people) else "nobody yet"
        lines.append(f"{p.name}{code}, added {date_words(p.added_at)}: {count}")
        lines.extend(_person_line(m) for m in people.sort_values("email").itertuples(index=False))
    for people in by_partner.values():  # a grant naming a partner no longer registered
        lines.append(f"{people['partner'].iloc[0]} (not a registered partner): {len(people)} people")
        lines.extend(_person_line(m) for m in people.sort_values("email").itertuples(index=False))
    return lines


def _person_line(m) -> str:
    by = f", granted by {m.granted_by}" if isinstance(m.granted_by, str) and m.granted_by else ""
    return f"  {m.email}: {ROLE_WORDS.get(m.role, m.role)} since {date_words(m.granted_at)}{by}"


def cmd_list(args) -> int:
    store = store_from_args(args)
    partners = store.partners()
    members = store.members()
    if partners.empty and members.empty:
        print(f"No partners in {store.where} yet: add one with anchormap partners add NAME [--code GSS_CODE].")
        return 0
    n = len(partners)
    print(f"{n} partner{'s' if n != 1 else ''} in {store.where}:")
    for line in partner_lines(partners, members):
        print(line)
    return 0
