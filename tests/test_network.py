""" "Our network": uploaded lists (hand-made fixture for the edge cases), members picked from
the real anchors layer, LAIN suggestions and the page."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from anchormap.data.build import load_layer
from anchormap.data.layers.anchors import ANCHOR_COLUMNS
from anchormap.data.sources import resolve
from anchormap.errors import AnchorMapError
from anchormap.land.ingest import MAX_UPLOAD_BYTES, read_upload
from anchormap.network import lists as net

FIXTURE = Path(__file__).parent / "fixtures" / "network_members.csv"
PAGE = "pages/3_Our_network.py"


@pytest.fixture(scope="module")
def postcodes(mirror):
    return load_layer("postcodes")


@pytest.fixture(scope="module")
def boroughs(mirror):
    return load_layer("boroughs")


@pytest.fixture(scope="module")
def anchors(mirror):
    return load_layer("anchors")


def read(data, postcodes, boroughs, name="list.csv"):
    return net.read_network_csv(data, name, postcodes, boroughs)


def entries(report, row):
    return report.frame().query("row == @row")


@pytest.fixture(scope="module")
def fixture_result(postcodes, boroughs):
    return read(FIXTURE, postcodes, boroughs, "network_members.csv")


def test_fixture_kept_rows(fixture_result, postcodes):
    gdf, report = fixture_result
    assert list(gdf.columns) == ANCHOR_COLUMNS and gdf.crs.to_epsg() == 27700
    assert report.rows_read == 8 and report.kept == len(gdf) == 5
    assert list(gdf["anchor_id"]) == ["network:2", "network:3", "network:6", "network:7", "network:8"]
    assert (gdf["source"] == "network").all() and (gdf["status"] == "open").all()
    first = gdf.iloc[0]
    assert (first["name"], first["category"], first["organisation"]) == (
        "Lewisham Hospital",
        "health",
        "Lewisham and Greenwich NHS Trust",
    )  # "Health" label read as key
    pc = postcodes.set_index("postcode_key")
    assert (first["easting"], first["northing"]) == tuple(pc.loc["SE136LH", ["easting", "northing"]])
    assert first["borough_name"] == "Lewisham"
    assert abs(first["lat"] - pc.loc["SE136LH", "lat"]) < 1e-4


def test_lower_case_postcode_without_space(fixture_result, postcodes):
    gdf, report = fixture_result
    row = gdf[gdf["anchor_id"] == "network:3"].iloc[0]
    assert row["postcode"] == "SE6 4RU" and row["category"] == "libraries"
    assert row["easting"] == postcodes.set_index("postcode_key").loc["SE64RU", "easting"]
    e = entries(report, 3)
    assert list(e["column"]) == ["Post code"] and "read as SE6 4RU" in e["action"].iloc[0]


def test_unknown_postcode(fixture_result):
    _, report = fixture_result
    e = entries(report, 4)
    assert list(e["column"]) == ["Post code"]
    assert "ZZ99 9ZZ" in e["problem"].iloc[0] and e["action"].iloc[0] == "row skipped"


def test_coordinates_outside_london(fixture_result):
    gdf, report = fixture_result
    e = entries(report, 5)
    assert list(e["column"]) == ["Latitude, Longitude"]
    assert "outside Greater London" in e["problem"].iloc[0] and e["action"].iloc[0] == "row skipped"
    # with a postcode too, the postcode is used instead
    e8 = entries(report, 8)
    assert e8["action"].iloc[0] == "used the postcode instead"
    assert gdf.loc[gdf["anchor_id"] == "network:8", "postcode"].iloc[0] == "SE1 7EH"


def test_swapped_lat_lon(fixture_result):
    gdf, report = fixture_result
    e = entries(report, 6)
    assert "swapped" in e["problem"].iloc[0] and e["action"].iloc[0] == "swapped them"
    row = gdf[gdf["anchor_id"] == "network:6"].iloc[0]
    assert row["lat"] == pytest.approx(51.4452, abs=1e-5) and row["lon"] == pytest.approx(-0.0235, abs=1e-5)
    assert row["borough_name"] == "Lewisham"


def test_html_in_name_kept_as_text_and_unknown_category(fixture_result):
    gdf, report = fixture_result
    row = gdf[gdf["anchor_id"] == "network:7"].iloc[0]
    assert row["name"] == "<img src=x onerror=alert(1)>"  # stored as text; escaped when shown
    assert row["category"] == ""
    e = entries(report, 7)
    assert set(e["column"]) == {"Organisation name", "Category"}
    assert e["problem"].str.contains("markup").any() and e["problem"].str.contains("civic hall").any()


def test_empty_name(fixture_result):
    _, report = fixture_result
    e = entries(report, 9)
    assert e["problem"].iloc[0] == "the name is empty" and e["action"].iloc[0] == "row skipped"


def test_cp1252_bytes(postcodes, boroughs):
    data = "Name,Postcode\r\nCafé Señora Library,SE6 4RU\r\n".encode("cp1252")
    gdf, report = read(data, postcodes, boroughs, "windows.csv")
    assert gdf["name"].tolist() == ["Café Señora Library"]
    assert report.encoding == "cp1252"
    e = entries(report, 0)
    assert "not UTF-8" in e["problem"].iloc[0] and "cp1252" in e["action"].iloc[0]


def test_utf8_bom_and_header_variants(postcodes, boroughs):
    data = "\ufeffSite name,Lat,Lng,Organisation\nHorniman,51.4412,-0.0609,Horniman Trust\n".encode()
    gdf, report = read(data, postcodes, boroughs)
    assert gdf["name"].tolist() == ["Horniman"] and gdf["organisation"].tolist() == ["Horniman Trust"]
    assert report.problems == []
    data = b"name,X,Y\nTown hall,537750,173730\nDegrees in X/Y,-0.0209,51.4455\n"
    gdf, report = read(data, postcodes, boroughs)
    assert gdf["borough_name"].tolist() == ["Lewisham", "Lewisham"]
    assert gdf["easting"].iloc[0] == 537750 and report.problems == []


def test_swapped_easting_northing(postcodes, boroughs):
    gdf, report = read(b"Name,Easting,Northing\nSwapped,173730,537750\n", postcodes, boroughs)
    assert gdf["easting"].tolist() == [537750]
    assert "easting and northing look swapped" in report.frame()["problem"].tolist()


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n"])
def test_empty_file(data, postcodes, boroughs):
    with pytest.raises(AnchorMapError, match=r"empty\.csv is empty"):
        read(data, postcodes, boroughs, "empty.csv")


def test_header_only_gives_an_empty_network(postcodes, boroughs):
    gdf, report = read(b"name,postcode\n", postcodes, boroughs)
    assert len(gdf) == 0 and list(gdf.columns) == ANCHOR_COLUMNS and report.rows_read == 0


def test_missing_name_column(postcodes, boroughs):
    with pytest.raises(AnchorMapError, match=r"sites\.csv has no name column.*'title', 'postcode'"):
        read(b"title,postcode\nA,SE6 4RU\n", postcodes, boroughs, "sites.csv")


def test_no_location_columns(postcodes, boroughs):
    with pytest.raises(AnchorMapError, match="no postcode column and no coordinate columns"):
        read(b"name,phone\nA,0207\n", postcodes, boroughs)


def test_utf16_csv_is_read(postcodes, boroughs):
    data = "Name,Postcode\r\nCatford Library,se64ru\r\n".encode("utf-16")  # Excel's "Unicode text" save
    gdf, report = read(data, postcodes, boroughs, "unicode.csv")
    assert gdf["name"].tolist() == ["Catford Library"]
    assert gdf["postcode"].tolist() == ["SE6 4RU"]
    assert report.encoding == "utf-16"


def test_binary_file_is_refused_with_advice(postcodes, boroughs):
    workbook = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(200)  # a zipped .xlsx starts so
    with pytest.raises(AnchorMapError, match="members.xlsx is not a text CSV file.*CSV UTF-8"):
        read(workbook, postcodes, boroughs, "members.xlsx")


def test_undecodable_bytes(postcodes, boroughs):
    with pytest.raises(AnchorMapError, match="neither UTF-8 nor Windows-1252"):
        read(b"name,postcode\n\x81\x8d,SE6 4RU\n", postcodes, boroughs, "bad.csv")


def test_bad_postcodes_and_numbers(postcodes, boroughs):
    data = b"name,postcode,lat,lon\nOutward,SE6,,\nNonsense,hello,,\nWords,,north,west\nNothing,,,\n"
    gdf, report = read(data, postcodes, boroughs)
    assert len(gdf) == 0
    problems = report.frame().set_index("row")["problem"]
    assert "outward code" in problems[2] and "not a valid UK postcode" in problems[3]
    assert "not two numbers" in problems[4] and problems[5] == "no postcode and no coordinates"


def test_formula_text_is_not_evaluated(postcodes, boroughs):
    gdf, _ = read(b'name,postcode\n"=HYPERLINK(""http://x"",""y"")",SE6 4RU\n', postcodes, boroughs)
    assert gdf["name"].tolist() == ['=HYPERLINK("http://x","y")']


def test_members_by_organisation(anchors, mirror):
    h = pd.read_csv(resolve("hospitals").path, dtype=str)
    trust = h["ParentName"].value_counts().index[0]
    orgs = net.organisations(anchors)
    assert trust in orgs and "" not in orgs and len(orgs) == len(set(orgs))
    chosen = net.network_from_members(anchors, [trust])
    assert list(chosen.columns) == ANCHOR_COLUMNS
    assert (chosen["organisation"] == trust).all() and (chosen["status"] == "open").all()
    assert len(chosen) == ((anchors["organisation"] == trust) & (anchors["status"] == "open")).sum()
    assert len(chosen) >= (h["ParentName"] == trust).sum()
    with pytest.raises(AnchorMapError, match="Nobody Trust"):
        net.network_from_members(anchors, ["Nobody Trust"])


def test_lain_suggestions(anchors, mirror):
    names = pd.read_csv(resolve("lain_members").path, dtype=str)["organisation"].str.strip().tolist()
    table, unmatched = net.lain_member_suggestions(anchors)
    assert set(table["lain_name"]) | set(unmatched) == set(names)
    assert not set(table["lain_name"]) & set(unmatched)
    for row in table[table["matched_on"] == "organisation"].itertuples():
        assert row.matched in set(anchors["organisation"])
        assert set(anchors.loc[anchors["anchor_id"].isin(row.anchor_ids), "organisation"]) == {row.matched}
    # a council is matched to its own borough's local-authority sites
    camden = table[table["lain_name"] == "Camden Council"]
    assert camden["matched"].tolist() == ["Camden (local authority)"]


def test_session_helpers(fixture_result):
    state: dict = {}
    assert net.current_network(state) is None
    gdf, _ = fixture_result
    net.store_network(state, gdf, "test")
    assert net.current_network(state) is gdf and state[net.NETWORK_KEY] is gdf
    assert any("Contains OS data" in line for line in net.attributions(gdf, extra=("postcodes",)))
    net.clear_network(state)
    assert net.current_network(state) is None


def test_page_pick_organisation(anchors, open_page):
    at = open_page(PAGE)
    assert not at.exception
    org = "Lewisham (local authority)"
    at.multiselect(key="network_orgs").set_value([org]).run()
    at.button(key="use_orgs").click().run()
    assert not at.exception
    network = at.session_state["network"]
    assert list(network.columns) == ANCHOR_COLUMNS
    assert set(network["organisation"]) == {org}
    assert len(network) == ((anchors["organisation"] == org) & (anchors["status"] == "open")).sum()
    assert any("Arts Council England" in c.value for c in at.caption)  # attribution of shown datasets
    at.button(key="suggest_lain").click().run()
    assert not at.exception and org in at.multiselect(key="network_orgs").value


def test_a_list_over_the_upload_limit_is_refused_like_a_register(postcodes, boroughs):
    data = b"name,postcode\n" + b"Catford Library,SE6 4RU\n" * (MAX_UPLOAD_BYTES // 24 + 1)
    with pytest.raises(AnchorMapError, match=r"^The file big\.csv is 20\.1 MB; the limit is 20 MB\.$"):
        read(data, postcodes, boroughs, "big.csv")


def test_a_network_list_is_read_like_a_register(postcodes, boroughs):
    """The same readers, header names, locator and report type as land registers: a semicolon
    export with a title row, headers in any spelling, one report table with severities."""
    data = (
        b"Our anchor network, March 2026\n"
        b"Site Name;POST_CODE;Category\n"
        b"Lewisham Hospital;se13 6lh;health\n"
        b"Catford Library;SE6 4ZX;libraries\n"
    )
    gdf, report = read(data, postcodes, boroughs, "semicolons.csv")
    assert gdf["name"].tolist() == ["Lewisham Hospital"] and gdf["postcode"].tolist() == ["SE13 6LH"]
    pc = postcodes.set_index("postcode_key")
    assert (gdf["easting"].iloc[0], gdf["northing"].iloc[0]) == tuple(pc.loc["SE136LH", ["easting", "northing"]])
    frame = report.frame()
    assert list(frame.columns) == ["row", "column", "problem", "action", "severity"]
    assert frame.loc[frame["row"] == 0, "problem"].str.contains("above the header").any()
    # SE6 4ZX is not in Code-Point Open: a register row would go to the SE6 mean, a network site is skipped
    skipped = entries(report, 4)
    assert skipped["problem"].tolist() == [
        "SE6 4ZX is not in the Greater London postcode list (OS Code-Point Open, October 2025)"
    ]
    assert skipped[["column", "action", "severity"]].values.tolist() == [["POST_CODE", "row skipped", "error"]]


def test_register_and_network_share_the_postcode_rule(postcodes, boroughs):
    """One lookup, each caller's acceptance: the same unknown postcode places a register row at
    its district's mean (said so) and skips a network row, with the same reason."""
    register = read_upload(b"Asset ID,Property name,Postcode\nA1,Depot,SE6 4ZX\n", "r.csv", "Lewisham Council")
    warning = register.report().query("severity == 'warning'").iloc[0]
    _, report = read(b"name,postcode\nDepot,SE6 4ZX\n", postcodes, boroughs)
    assert warning["problem"] == report.frame()["problem"].iloc[0]
    assert "mean of the" in warning["action"] and register.assets["location_method"].tolist() == [
        "outward code centroid"
    ]
    se6 = postcodes[postcodes["postcode_key"].str[:-3] == "SE6"]
    assert register.assets["easting"].iloc[0] == pytest.approx(se6["easting"].mean(), abs=0.05)
