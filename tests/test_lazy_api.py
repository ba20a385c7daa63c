"""``import anchormap`` gives every public name, each imported from its module when first used."""

from __future__ import annotations

import subprocess
import sys

import anchormap
import anchormap._api as api


def test_every_public_name_is_the_one_in_the_api_module():
    assert anchormap.__all__ == api.__all__
    assert [n for n in anchormap.__all__ if getattr(anchormap, n) is not getattr(api, n)] == []
    assert set(anchormap.__all__) <= set(dir(anchormap))


def test_an_unknown_name_is_an_attribute_error():
    try:
        anchormap.no_such_name  # noqa: B018
    except AttributeError as err:
        assert "no_such_name" in str(err)
    else:
        raise AssertionError("anchormap.no_such_name did not fail")


def _imported_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_the_package_and_the_home_page_do_not_import_what_they_do_not_use():
    heavy = {"matplotlib", "scipy", "networkx", "sqlalchemy", "openpyxl"}
    assert not heavy & _imported_after("import anchormap")
    # the home page's modules: the map, the place chooser, the sign-in box, the cached loaders
    home = _imported_after(
        "import anchormap.ui.home, anchormap.ui.signin, anchormap.ui.saved_list, anchormap.ui.run_gate"
    )
    assert not {"scipy", "networkx", "sqlalchemy", "openpyxl"} & home  # matplotlib gives the map its colours
    assert "anchormap.maps.overlay" in home  # it does load what it draws
