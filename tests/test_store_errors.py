"""The land store where it cannot be created, and withdrawing twice."""

from __future__ import annotations

import pytest

from anchormap.access.people import Person
from anchormap.cli import main
from anchormap.land.ingest import read_upload
from anchormap.land.store import StoreError, open_store

REGISTER = b"Asset ID,Property name,Postcode\nA1,Laurence House,SE6 4RU\n"


def test_a_store_under_a_file_is_a_message_not_a_traceback(tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be", encoding="utf-8")
    store = open_store(blocker / "store" / "land.sqlite")
    r = read_upload(REGISTER, "a.csv", "London Borough of Lewisham")
    with pytest.raises(StoreError, match="cannot be opened"):
        store.add_submission(
            partner=r.partner, file_name=r.file_name, assets=r.assets, rows_rejected=0, by=Person.local_user()
        )
    register = tmp_path / "a.csv"
    register.write_bytes(REGISTER)
    code = main(["land", "import", str(register), "--partner", "Lewisham", "--store", str(blocker / "land.sqlite")])
    assert code == 2 and "cannot be opened" in capsys.readouterr().err


def test_withdrawing_twice_is_refused(tmp_path):
    store = open_store(tmp_path / "land.sqlite")
    r = read_upload(REGISTER, "a.csv", "London Borough of Lewisham")
    sid = store.add_submission(
        partner=r.partner, file_name=r.file_name, assets=r.assets, rows_rejected=0, by=Person.local_user()
    )
    store.withdraw(sid, by=Person.local_user())
    first = store.submissions().set_index("id").loc[sid, "withdrawn_at"]
    with pytest.raises(StoreError, match="already withdrawn"):
        store.withdraw(sid, by=Person.local_user())
    assert store.submissions().set_index("id").loc[sid, "withdrawn_at"] == first
    assert store.assets().empty
