"""The store's protocol on both databases: roles in every write, read-only, duplicates, replace,
corrections, the audit trail, saved lists and the change stamp.

Each test runs on a SQLite file and on a fresh database of the throwaway PostgreSQL + PostGIS
cluster the tests start (``store_location`` in tests/postgres.py).
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

import anchormap.land.store_sql as store_sql
from anchormap.access.people import PermissionRefused, Person
from anchormap.land.ingest import read_upload
from anchormap.land.store import DuplicateSubmission, StoreError, StoreUnavailable, open_store
from anchormap.land.store_engine import locate, make_engine
from tests.test_land_store import data_fingerprint

FIXTURE = Path(__file__).parent / "fixtures" / "land" / "transparency_code_register.csv"
LEWISHAM = "London Borough of Lewisham"
TRUST = "Lewisham and Greenwich NHS Trust"
LOCAL = Person.local_user("cli")
JO = Person("jo@lewisham.gov.uk", "Jo Bloggs")
SAM = Person("sam@nhs.net", "Sam Patel")
ALEX = Person("alex@london.gov.uk", "Alex Steward")
STRANGER = Person("someone@example.com")
ANON = Person.anonymous()


@pytest.fixture
def location(store_location):
    """A store location of each kind, empty (tests/postgres.py: a SQLite file, or a fresh PostGIS database)."""
    yield store_location
    store_sql.dispose_engines()


@pytest.fixture
def pg_location(postgres_url):
    """A fresh PostGIS database."""
    yield postgres_url
    store_sql.dispose_engines()


@pytest.fixture
def store(location):
    """A store with three partners, a member of two, and a steward."""
    return _with_people(location)


def _with_people(location):
    st = open_store(location, read_only=False)
    st.add_partner(LEWISHAM, "E09000023", by=LOCAL)
    st.add_partner(TRUST, by=LOCAL)
    st.add_partner("Greater London Authority", by=LOCAL)
    st.grant(JO.email, LEWISHAM, "member", by=LOCAL)
    st.grant(SAM.email, TRUST, "member", by=LOCAL)
    st.grant(ALEX.email, "greater london authority", "steward", by=LOCAL)
    return st


def register(tag: str = "", partner: str = LEWISHAM):
    """The fixture register; a different ``tag`` makes a different file (another SHA-256), same rows."""
    data = FIXTURE.read_bytes() + tag.encode()
    return read_upload(data, FIXTURE.name if not tag else f"register-{tag.strip()}.csv", partner)


def add(st, r, by, partner=None):
    return st.add_submission(
        partner=partner or r.partner,
        file_name=r.file_name,
        assets=r.assets,
        rows_rejected=r.rows_rejected,
        report=r.report(),
        register_kind=r.register_kind,
        file_sha256=r.sha256,
        by=by,
    )


def snapshot(st) -> tuple:
    """What a refused write must leave unchanged: the stamp, the counts, and every byte of data
    (the SQLite file; PostgreSQL's data as pg_dump prints it, less sequence positions)."""
    location = str(st.path) if st.path is not None else st.loc.url.replace("postgresql+psycopg://", "postgresql://")
    return st.stamp(), data_fingerprint(location), len(st.submissions()), len(st.assets(include_withdrawn=True))


# --------------------------------------------------------------------------- roles
def test_roles_from_the_allow_list(store):
    assert store.access_for(JO).role == "member" and store.access_for(JO).partner == LEWISHAM
    assert store.access_for(Person("JO@Lewisham.gov.uk ")).role == "member"  # addresses in any case
    assert store.access_for(ALEX).role == "steward"
    assert store.access_for(STRANGER).role == "viewer" and store.access_for(ANON).role == "viewer"
    assert store.access_for(LOCAL).role == "local"
    members = store.members().set_index("email")
    assert members.loc["alex@london.gov.uk", "partner"] == "Greater London Authority"  # the registered spelling
    assert members.loc["jo@lewisham.gov.uk", "granted_by"] == LOCAL.words


def test_viewers_write_nothing(store):
    sid = add(store, register(), JO)
    before = snapshot(store)
    r = register(" again")
    for who in (STRANGER, ANON):
        with pytest.raises(PermissionRefused, match="cannot add"):
            add(store, r, who)
        with pytest.raises(PermissionRefused, match="cannot withdraw"):
            store.withdraw(sid, by=who)
        with pytest.raises(PermissionRefused):
            store.remove_asset(sid, "LBL-0001", "gone", by=who)
        with pytest.raises(PermissionRefused):
            store.correct_asset(sid, "LBL-0001", {"status": "vacant"}, "checked", by=who)
        with pytest.raises(PermissionRefused):
            store.save_network("Ours", {"sites": []}, shared_with="everyone", by=who)
        with pytest.raises(PermissionRefused, match="only a steward"):
            store.add_partner("Another Council", by=who)
        with pytest.raises(PermissionRefused, match="only a steward"):
            store.grant(who.email or "x@y.org", LEWISHAM, "member", by=who)
    with pytest.raises(PermissionRefused, match="sign in first"):
        add(store, r, ANON)
    assert snapshot(store) == before


def test_members_change_only_their_own_partners_registers(store):
    ours = add(store, register(), JO)
    theirs = add(store, register(" trust", TRUST), SAM)
    before = snapshot(store)
    with pytest.raises(PermissionRefused, match=f"member of {LEWISHAM} can change only"):
        add(store, register(" for the trust", TRUST), JO)
    with pytest.raises(PermissionRefused, match=f"not {TRUST}'s"):
        store.withdraw(theirs, by=JO)
    with pytest.raises(PermissionRefused):
        store.remove_asset(theirs, "LBL-0001", "not ours", by=JO)
    with pytest.raises(PermissionRefused, match="only a steward"):
        store.grant("friend@lewisham.gov.uk", LEWISHAM, "member", by=JO)
    with pytest.raises(PermissionRefused, match="only a steward"):
        store.audit(by=JO)
    assert snapshot(store) == before
    assert store.withdraw(ours, by=JO).status == "withdrawn"
    # a steward withdraws any partner's; the local user too
    assert store.withdraw(theirs, by=ALEX).status == "withdrawn"
    again = add(store, register(), LOCAL)
    assert store.withdraw(again, by=LOCAL).status == "withdrawn"


def test_revoked_members_become_viewers(store):
    store.revoke("JO@lewisham.gov.uk", by=ALEX)
    assert store.access_for(JO).role == "viewer"
    with pytest.raises(PermissionRefused, match="not on this network's list"):
        add(store, register(), JO)
    with pytest.raises(StoreError, match="not on the list of members"):
        store.revoke(JO.email, by=ALEX)
    store.grant(JO.email, TRUST, "steward", by=ALEX)  # one partner per person: the new grant replaces the old
    assert store.members().set_index("email").loc[JO.email, "role"] == "steward"


def test_grants_and_partners_are_checked(store):
    with pytest.raises(StoreError, match="not registered"):
        store.grant("x@y.org", "Nowhere Council", "member", by=LOCAL)
    with pytest.raises(StoreError, match="not one a person can be given"):
        store.grant("x@y.org", LEWISHAM, "owner", by=LOCAL)
    with pytest.raises(StoreError, match="not an email address"):
        store.grant("just a name", LEWISHAM, "member", by=LOCAL)
    with pytest.raises(StoreError, match="already registered"):
        store.add_partner("london borough of  LEWISHAM", by=ALEX)
    with pytest.raises(StoreError, match="not a GSS code"):
        store.add_partner("Southwark Council", "Southwark", by=ALEX)
    store.add_partner("Southwark Council", "e09000028", by=ALEX)
    assert store.partners().set_index("name").loc["Southwark Council", "code"] == "E09000028"


def test_only_registered_partners_except_for_the_local_user(store):
    with pytest.raises(StoreError, match="not a registered partner"):
        add(store, register(partner="Nowhere Trust"), ALEX)
    sid = add(store, register(partner="london borough of lewisham"), JO)
    assert store.submission(sid).partner == LEWISHAM  # stored under the registered spelling
    sid = add(store, register(" local", "A Partner Nobody Registered"), LOCAL)
    assert store.submission(sid).partner == "A Partner Nobody Registered"


def test_a_read_only_store_refuses_every_write(location, monkeypatch):
    writable = open_store(location, read_only=False)
    writable.add_partner(LEWISHAM, by=LOCAL)
    sid = add(writable, register(), LOCAL)
    writable.save_network("Ours", {"sites": ["a"]}, shared_with="everyone", by=LOCAL)
    monkeypatch.setenv("ANCHORMAP_READ_ONLY", "1")
    kiosk = open_store(location)
    before = snapshot(kiosk)
    r = register(" two")
    writes = [
        lambda: add(kiosk, r, LOCAL),
        lambda: kiosk.replace_submission(sid, file_name="b.csv", assets=r.assets, rows_rejected=0, by=LOCAL),
        lambda: kiosk.withdraw(sid, by=LOCAL),
        lambda: kiosk.correct_asset(sid, "LBL-0001", {"status": "vacant"}, "why", by=LOCAL),
        lambda: kiosk.remove_asset(sid, "LBL-0001", "why", by=LOCAL),
        lambda: kiosk.add_partner("Another", by=LOCAL),
        lambda: kiosk.grant("a@b.org", LEWISHAM, "member", by=LOCAL),
        lambda: kiosk.revoke("a@b.org", by=LOCAL),
        lambda: kiosk.save_network("Mine", {}, shared_with="everyone", by=LOCAL),
        lambda: kiosk.delete_network(1, by=LOCAL),
    ]
    for write in writes:
        with pytest.raises(PermissionRefused, match="this deployment is read-only"):
            write()
    assert snapshot(kiosk) == before
    assert len(kiosk.assets()) == r.rows_accepted and kiosk.networks(ANON)["name"].tolist() == ["Ours"]


# --------------------------------------------------------------------------- duplicates
def test_the_same_file_twice_is_refused_with_a_pointer_to_it(store):
    r = register()
    sid = add(store, r, JO)
    before = snapshot(store)
    with pytest.raises(DuplicateSubmission) as refused:
        add(store, r, SAM, partner=TRUST)  # even under another partner's name
    assert refused.value.existing.id == sid and refused.value.existing.partner == LEWISHAM
    words = str(refused.value)
    assert f"{LEWISHAM}'s {FIXTURE.name}" in words and f"{r.rows_accepted} rows" in words and "stored " in words
    assert snapshot(store) == before
    store.withdraw(sid, by=JO)
    again = add(store, r, JO)  # a withdrawn file can be stored again
    assert store.submission(again).status == "active"


def test_the_unique_index_refuses_a_second_active_copy_written_behind_the_stores_back(store):
    r = register()
    sid = add(store, r, JO)
    engine = make_engine(locate(store.loc.url))
    copy = (
        "INSERT INTO submissions (partner, uploaded_at, file_name, file_sha256, register_kind, rows_accepted, "
        "rows_rejected, status) SELECT partner, uploaded_at, file_name, file_sha256, register_kind, rows_accepted, "
        f"rows_rejected, status FROM submissions WHERE id = {sid}"
    )
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as con:
        con.exec_driver_sql(copy)
    engine.dispose()
    assert len(store.submissions()) == 1


def _store_in_a_process(location: str, data: bytes, queue) -> None:
    try:
        r = read_upload(data, "same.csv", LEWISHAM)
        st = open_store(location, read_only=False)
        queue.put(("stored", add(st, r, LOCAL)))
    except DuplicateSubmission as exc:
        queue.put(("duplicate", exc.existing.id))
    except Exception as exc:  # reported to the test, which fails on it
        queue.put(("error", f"{type(exc).__name__}: {exc}"))


def test_two_processes_storing_the_same_file_at_once_store_it_once(store):
    data = FIXTURE.read_bytes()
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_store_in_a_process, args=(store.loc.url, data, queue)) for _ in range(2)]
    for p in procs:
        p.start()
    results = sorted(queue.get(timeout=120) for _ in procs)
    for p in procs:
        p.join()
    kinds = [k for k, _ in results]
    assert kinds == ["duplicate", "stored"], results
    assert results[0][1] == results[1][1]  # the refused one points to the stored one
    assert store.submissions()["status"].tolist() == ["active"]


# --------------------------------------------------------------------------- replace
def test_replace_swaps_a_submission_in_one_transaction(store):
    old = add(store, register(), JO)
    new_file = register(" v2")
    new = store.replace_submission(
        old, file_name=new_file.file_name, assets=new_file.assets, rows_rejected=0, by=JO, file_sha256=new_file.sha256
    )
    subs = store.submissions().set_index("id")
    assert subs.loc[old, "status"] == "withdrawn" and int(subs.loc[old, "replaced_by"]) == new
    assert subs.loc[new, "status"] == "active" and subs.loc[new, "partner"] == LEWISHAM
    assert set(store.assets()["submission_id"]) == {new}
    log = store.audit(by=ALEX)
    assert log["action"].iloc[-1] == "replace" and f"replaces submission {old}" in log["detail"].iloc[-1]
    with pytest.raises(StoreError, match="already withdrawn"):
        store.replace_submission(old, file_name="x.csv", assets=new_file.assets, rows_rejected=0, by=JO)
    with pytest.raises(PermissionRefused):
        store.replace_submission(new, file_name="x.csv", assets=new_file.assets, rows_rejected=0, by=SAM)


def test_a_replace_that_fails_half_way_changes_nothing(store, monkeypatch):
    old = add(store, register(), JO)
    before = snapshot(store)
    real = store_sql._asset_record
    calls = {"n": 0}

    def flaky(sid, row):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("connection dropped (injected)")
        return real(sid, row)

    monkeypatch.setattr(store_sql, "_asset_record", flaky)
    new_file = register(" v2")
    with pytest.raises(RuntimeError, match="injected"):
        store.replace_submission(old, file_name="v2.csv", assets=new_file.assets, rows_rejected=0, by=JO)
    assert calls["n"] == 3
    assert snapshot(store) == before and store.submission(old).status == "active"


# --------------------------------------------------------------------------- one stored row
def test_correct_and_remove_one_row_with_a_reason(store):
    sid = add(store, register(), JO)
    first = store.assets().iloc[0]
    own = first["asset_id"].removeprefix(f"upload:{sid}:")
    with pytest.raises(StoreError, match="Give a reason"):
        store.correct_asset(sid, own, {"status": "vacant"}, "  ", by=JO)
    with pytest.raises(StoreError, match="Site area"):
        store.correct_asset(sid, own, {"site_area_ha": "two"}, "typo", by=JO)
    with pytest.raises(StoreError, match="not a status"):
        store.correct_asset(sid, own, {"status": "empty-ish"}, "typo", by=JO)
    with pytest.raises(StoreError, match="cannot be corrected"):
        store.correct_asset(sid, own, {"asset_id": "X"}, "typo", by=JO)
    store.correct_asset(sid, first["asset_id"], {"site_area_ha": "0.75", "status": "vacant"}, "survey 2026", by=JO)
    row = store.assets().set_index("asset_id").loc[first["asset_id"]]
    assert row["site_area_ha"] == 0.75 and row["status"] == "vacant"
    log = store.audit(by=LOCAL)
    detail = log["detail"].iloc[-1]
    assert log["action"].iloc[-1] == "correct" and "survey 2026" in detail
    assert f"status: {first['status']!r} → 'vacant'" in detail and "site_area_ha" in detail

    store.remove_asset(sid, own, "sold in 2025", by=JO)
    left = store.assets()
    assert first["asset_id"] not in set(left["asset_id"]) and len(left) == register().rows_accepted - 1
    assert store.audit(by=LOCAL)["action"].iloc[-1] == "remove"
    with pytest.raises(StoreError, match="removed"):
        store.remove_asset(sid, own, "again", by=JO)
    with pytest.raises(StoreError, match="no row"):
        store.correct_asset(sid, "NOPE", {"status": "vacant"}, "why", by=JO)


# --------------------------------------------------------------------------- audit trail
def test_every_write_is_audited_with_who_where_and_what(store):
    r = register()
    sid = add(store, r, JO)
    store.withdraw(sid, by=ALEX)
    lid = store.save_network("Ours", {"sites": []}, shared_with="partner", by=JO)
    store.delete_network(lid, by=JO)
    store.revoke(SAM.email, by=ALEX)
    log = store.audit(by=ALEX)
    assert log["action"].tolist() == [
        "add partner",
        "add partner",
        "add partner",
        "grant",
        "grant",
        "grant",
        "import",
        "withdraw",
        "save list",
        "delete list",
        "revoke",
    ]
    imp = log[log["action"] == "import"].iloc[0]
    assert imp["who"] == "Jo Bloggs (jo@lewisham.gov.uk)" and imp["via"] == "page"
    assert (imp["file_name"], imp["file_sha256"], int(imp["rows_stored"]), int(imp["rows_rejected"])) == (
        FIXTURE.name,
        r.sha256,
        r.rows_accepted,
        r.rows_rejected,
    )
    assert log.iloc[0]["who"] == LOCAL.words and log.iloc[0]["via"] == "cli"
    assert log[log["action"] == "withdraw"].iloc[0]["who"] == ALEX.words
    assert store.audit(by=ALEX, since="2999-01-01").empty
    assert len(store.audit(by=ALEX, since=log["at"].iloc[0][:10])) == len(log)
    with pytest.raises(StoreError, match="YYYY-MM-DD"):
        store.audit(by=ALEX, since="yesterday")
    for who in (JO, STRANGER, ANON):
        with pytest.raises(PermissionRefused):
            store.audit(by=who)


def test_the_stamp_changes_on_every_write(store):
    seen = {store.stamp()}
    sid = add(store, register(), JO)
    seen.add(store.stamp())
    store.correct_asset(sid, "LBL-0001", {"status": "vacant"}, "checked", by=JO)
    seen.add(store.stamp())
    store.save_network("Ours", {}, shared_with="everyone", by=JO)
    seen.add(store.stamp())
    store.withdraw(sid, by=JO)
    seen.add(store.stamp())
    assert len(seen) == 5
    assert store.stamp() == store.stamp()  # reading changes nothing


# --------------------------------------------------------------------------- saved lists
def test_saved_lists_are_shown_to_who_they_are_shared_with(store):
    ours = store.save_network("Lewisham anchors", {"sites": ["Laurence House"]}, shared_with="partner", by=JO)
    public = store.save_network("Open list", {"sites": ["Catford Library"]}, shared_with="everyone", by=SAM)
    assert store.networks(JO)["name"].tolist() == ["Lewisham anchors", "Open list"]
    assert store.networks(SAM)["name"].tolist() == ["Open list"]
    assert store.networks(ANON)["name"].tolist() == ["Open list"]
    assert set(store.networks(ALEX)["id"]) == {ours, public} and len(store.networks(LOCAL)) == 2
    assert store.network(ours, JO) == {"sites": ["Laurence House"]}
    assert store.network(public, ANON) == {"sites": ["Catford Library"]}
    with pytest.raises(StoreError, match="no saved network list"):
        store.network(ours, SAM)
    with pytest.raises(StoreError, match="no saved network list"):
        store.delete_network(ours, by=SAM)
    with pytest.raises(PermissionRefused):
        store.delete_network(public, by=JO)  # visible to Jo, but the trust's
    # saving again under the same name updates the list
    assert store.save_network("Lewisham anchors", {"sites": []}, shared_with="everyone", by=JO) == ours
    assert store.network(ours, SAM) == {"sites": []}
    store.delete_network(ours, by=ALEX)
    assert store.networks(ALEX)["id"].tolist() == [public]
    with pytest.raises(StoreError, match="shared with everyone or partner"):
        store.save_network("x", {}, shared_with="the world", by=JO)


# --------------------------------------------------------------------------- reaching the store
def test_an_unreachable_server_is_a_message_without_the_password():
    st = open_store("postgresql://gis:hunter2@127.0.0.1:1/anchormap", read_only=False)
    assert st.where == "postgresql://gis:***@127.0.0.1:1/anchormap"
    with pytest.raises(StoreUnavailable, match="cannot be reached") as err:
        st.submissions()
    with pytest.raises(StoreUnavailable):
        add(st, register(), LOCAL)
    assert "hunter2" not in str(err.value) and "127.0.0.1:1" in str(err.value)


def test_submission_words_and_missing_ids(store):
    sid = add(store, register(), JO)
    info = store.submission(sid)
    assert info.words.startswith(f"{LEWISHAM}'s {FIXTURE.name}, stored ") and info.uploaded_by == JO.words
    with pytest.raises(StoreError, match=rf"no submission 99 .*\(submissions: {sid}\)"):
        store.submission(99)
    assert isinstance(store.submissions(), pd.DataFrame)


# --------------------------------------------------------------------------- PostGIS
def test_postgis_view_of_active_assets_opens_as_a_point_layer(pg_location):
    store = _with_people(pg_location)
    first = add(store, register(), JO)
    gone = add(store, register(" old", TRUST), SAM)
    store.withdraw(gone, by=SAM)
    store.remove_asset(first, "LBL-0001", "sold", by=JO)
    engine = make_engine(locate(store.loc.url))
    with engine.connect() as con:
        schema = con.exec_driver_sql("SELECT current_schema()").scalar()
        registered = con.exec_driver_sql(
            "SELECT type, srid, coord_dimension FROM geometry_columns "
            "WHERE f_table_schema = %(s)s AND f_table_name = 'active_assets' AND f_geometry_column = 'geom'",
            {"s": schema},
        ).all()
        points = con.exec_driver_sql(
            "SELECT submission_id, asset_id, ST_X(geom), ST_Y(geom), ST_SRID(geom), submitted_by_partner, file_name "
            "FROM active_assets WHERE geom IS NOT NULL ORDER BY asset_id"
        ).all()
        index = con.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = %(s)s AND indexname = 'assets_geom'", {"s": schema}
        ).scalar()
    engine.dispose()
    assert registered == [("POINT", 27700, 2)]
    assert index is not None and "gist" in index.lower()
    stored = store.assets()
    on_map = stored[stored["easting"].notna()]
    expected = sorted(
        (first, a.removeprefix(f"upload:{first}:"), e, n, 27700, LEWISHAM, FIXTURE.name)
        for a, e, n in zip(on_map["asset_id"], on_map["easting"], on_map["northing"], strict=True)
    )
    assert [tuple(p) for p in points] == expected and expected  # the withdrawn and the removed are not there
    assert "LBL-0001" not in {p[1] for p in points}


def test_metrics_are_kept_in_a_postgresql_store_too(pg_location, mirror):
    location = pg_location
    from anchormap.progress.metrics import metric_series, record_metric

    record_metric("borough:E09000023", "Local people hired", 120, "2025-03-31", store=location)
    record_metric("borough:E09000023", "Local people hired", 125, "2025-03-31", store=location)  # a correction
    series = metric_series("borough:E09000023", store=location)
    assert series["value"].tolist() == [125.0] and series["place_label"].tolist() == ["Lewisham"]
    assert open_store(location).submissions().empty


def test_a_connection_dropped_mid_import_is_a_message_and_writes_nothing(pg_location, postgres_server_url, monkeypatch):
    st = _with_people(pg_location)
    add(st, register(), JO)
    before = snapshot(st)
    real = store_sql._asset_record
    calls = {"n": 0}

    def drop_on_third(sid, row):
        calls["n"] += 1
        if calls["n"] == 3:  # the submission row is written: end this store's server connection from outside
            engine = sa.create_engine(postgres_server_url.replace("postgresql://", "postgresql+psycopg://", 1))
            with engine.begin() as con:
                ended = con.exec_driver_sql(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %(db)s AND backend_xid IS NOT NULL",
                    {"db": pg_location.rsplit("/", 1)[1]},
                ).scalar()
            calls["ended"] = ended
            engine.dispose()
        return real(sid, row)

    monkeypatch.setattr(store_sql, "_asset_record", drop_on_third)
    with pytest.raises(StoreUnavailable, match="cannot be reached") as err:
        add(st, register(" second"), JO)
    assert calls["ended"] == 1 and "Nothing was written" in str(err.value)
    monkeypatch.setattr(store_sql, "_asset_record", real)
    assert snapshot(st) == before  # the next use reconnects (pre-ping), and nothing of the import is there


def test_the_store_location_comes_from_the_settings_file(tmp_path, monkeypatch):
    from anchormap.land.store import store_location

    settings = tmp_path / "anchormap.toml"
    settings.write_text(f'store = "{tmp_path / "shared.sqlite"}"\nread_only = true\n', encoding="utf-8")
    monkeypatch.setenv("ANCHORMAP_CONFIG", str(settings))
    monkeypatch.delenv("ANCHORMAP_STORE", raising=False)
    monkeypatch.delenv("ANCHORMAP_READ_ONLY", raising=False)
    assert store_location() == str(tmp_path / "shared.sqlite")
    kiosk = open_store()
    assert kiosk.where == str(tmp_path / "shared.sqlite") and kiosk.read_only
    with pytest.raises(PermissionRefused, match="read-only"):
        kiosk.add_partner(LEWISHAM, by=LOCAL)
    monkeypatch.setenv("ANCHORMAP_STORE", str(tmp_path / "env.sqlite"))  # the environment wins
    assert open_store().where == str(tmp_path / "env.sqlite")
