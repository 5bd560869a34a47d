"""Roster import against a real SQLite file: families, re-imports, dry runs, all or nothing."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.events import filmable
from kiosk.roster import RosterError, RosterRejected, import_roster
from kiosk.store import Store

HEADER = (
    "Adno,Forename,Legal Surname,Reg Group,Year Group,Photo Consent,Consent Expiry,"
    "Contact 1 Forename,Contact 1 Surname,Contact 1 Email,Contact 1 Mobile,"
    "Contact 2 Forename,Contact 2 Surname,Contact 2 Email,Contact 2 Mobile"
)
ROWS = {
    "101": "101,Chidi,Okafor,3B,Year 3,Yes,,Grace,Okafor,grace@example.org,07700 900101,,,,",
    "102": "102,Ada,Okafor,1W,Year 1,Yes,,Grace,Okafor,GRACE@example.org,,Emeka,Okafor,,",
    "103": "103,Tom,Smith,RB,Reception,No,,Jo,Smith,,07700 900103,,,,",
    "104": "104,Lily,Hart,RB,Reception,Yes,,Jo,Smith,,+44 7700 900103,,,,",
    "105": "105,Priya,Patel,2B,Year 2,,,Anita,Patel,anita@example.com,,,,,",
}
DAY = date(2026, 12, 10)


def csv_bytes(rows: dict[str, str] | None = None, header: str = HEADER) -> bytes:
    body = "\n".join([header, *(rows if rows is not None else ROWS).values()])
    return (body + "\n").encode("utf-8")


def dump(store: Store) -> dict[str, list]:
    """Every roster table, for comparing before/after."""
    return {
        table: store.query(f"SELECT * FROM {table} ORDER BY 1, 2")
        for table in ("families", "pupils", "guardians", "pupil_guardians", "consents")
    }


def test_import_creates_pupils_families_guardians_and_consents(
    store: Store, now: datetime
) -> None:
    report = import_roster(store, csv_bytes(), now=now)
    assert report.applied and len(report.added) == 5
    pupils = {p["id"]: p for p in store.families.pupils()}
    assert pupils["101"]["family_id"] == pupils["102"]["family_id"] == "F101"  # same email
    assert pupils["103"]["family_id"] == pupils["104"]["family_id"] == "F103"  # name + phone
    assert pupils["105"]["family_id"] == "F105"
    assert store.families.get("F103")["display_name"] == "Hart & Smith family"
    assert store.families.get("F101")["display_name"] == "Okafor family"
    assert {g["name"] for g in store.families.guardians_of_family("F101")} == {
        "Grace Okafor", "Emeka Okafor"
    }
    assert filmable(store, list(pupils), DAY) == {
        "101": True, "102": True, "103": False, "104": True, "105": False,
    }
    assert report.encoding == "UTF-8" and report.delimiter == "comma"
    assert [n.lines for n in report.notices] == [(6,)]


def test_reimporting_the_same_file_changes_nothing(store: Store, now: datetime) -> None:
    import_roster(store, csv_bytes(), now=now)
    before = dump(store)
    report = import_roster(store, csv_bytes(), now=now + timedelta(days=1))
    assert not report.has_changes and report.unchanged == 5
    assert dump(store) == before


def test_one_audit_entry_with_counts_and_no_names(store: Store, now: datetime) -> None:
    import_roster(store, csv_bytes(), now=now)
    entries = [e for e in store.audit.chain("admin") if e["action"] == "roster.imported"]
    assert len(entries) == 1
    detail = json.loads(entries[0]["detail"])
    assert detail["added"] == 5 and detail["families_added"] == 3
    assert "Okafor" not in entries[0]["detail"] and "Chidi" not in entries[0]["detail"]


def test_explicit_family_column_wins(store: Store, now: datetime) -> None:
    header = HEADER + ",Family ID"
    rows = {k: v + (",HH-9" if k in ("103", "105") else ",") for k, v in ROWS.items()}
    import_roster(store, csv_bytes(rows, header), now=now)
    families = {p["id"]: p["family_id"] for p in store.families.pupils()}
    assert families["103"] == families["105"] == "HH-9"
    assert families["104"] == "F104"  # its guardian match (103) is in an explicit family


def test_dry_run_reports_changes_and_changes_nothing(store: Store, now: datetime) -> None:
    import_roster(store, csv_bytes(), now=now)
    before = dump(store)
    rows = dict(ROWS)
    rows["101"] = rows["101"].replace("3B,Year 3,Yes", "4B,Year 4,No")  # moved, withdrawn
    rows["103"] = rows["103"].replace(",No,", ",Yes,")  # granted
    del rows["105"]  # left
    rows["106"] = "106,Zoë,Nowak,RW,Reception,Yes,,Ola,Nowak,ola@example.net,,,,,"
    report = import_roster(store, csv_bytes(rows), now=now, dry_run=True, confirm_leavers=True)
    assert dump(store) == before
    assert report.dry_run and not report.applied
    assert [p.pupil_id for p in report.added] == ["106"]
    assert {p.pupil_id for p in report.changed} == {"101", "103"}
    assert "class 3B -> 4B" in next(p for p in report.changed if p.pupil_id == "101").details
    assert [(c.pupil_id, c.before, c.after) for c in report.withdrawals] == [
        ("101", "granted", "refused")
    ]
    assert [(c.pupil_id, c.before, c.after) for c in report.grants] == [
        ("103", "refused", "granted")
    ]
    assert [p.pupil_id for p in report.left] == ["105"]
    applied = import_roster(store, csv_bytes(rows), now=now, confirm_leavers=True)
    assert applied.counts() == {**report.counts()}


def test_missing_pupils_are_marked_left_not_deleted(store: Store, now: datetime) -> None:
    import_roster(store, csv_bytes(), now=now)
    rows = {k: v for k, v in ROWS.items() if k != "105"}
    with pytest.raises(RosterRejected, match="1 of the 5 pupils on roll as left") as refused:
        import_roster(store, csv_bytes(rows), now=now)
    assert [p.pupil_id for p in refused.value.report.left] == ["105"]
    assert store.families.pupil("105")["on_roll"] == 1
    import_roster(store, csv_bytes(rows), now=now, confirm_leavers=True)
    left = store.families.pupil("105")
    assert left["on_roll"] == 0 and left["left_at"] == now.isoformat()
    assert "105" not in {p["id"] for p in store.families.pupils()}
    report = import_roster(store, csv_bytes(), now=now)
    assert report.changed[0].details == ("back on roll",)
    back = store.families.pupil("105")
    assert back["on_roll"] == 1 and back["left_at"] is None


def test_withdrawal_then_regrant(store: Store, now: datetime) -> None:
    import_roster(store, csv_bytes(), now=now)
    rows = dict(ROWS)
    rows["101"] = rows["101"].replace(",Yes,", ",,")  # the MIS now has no answer
    later = now + timedelta(days=3)
    report = import_roster(store, csv_bytes(rows), now=later)
    assert [c.kind for c in report.withdrawals] == ["withdrawal"]
    row = store.families.consent_row("101", "event_recording", "school record")
    assert row["value"] == "not_returned" and row["withdrawn_at"] == later.isoformat()
    assert filmable(store, ["101"], DAY) == {"101": False}
    again = import_roster(store, csv_bytes(rows), now=later + timedelta(days=1))
    assert not again.has_changes
    regrant = import_roster(store, csv_bytes(), now=later + timedelta(days=2))
    assert [c.pupil_id for c in regrant.grants] == ["101"]
    row = store.families.consent_row("101", "event_recording", "school record")
    assert row["withdrawn_at"] is None
    assert filmable(store, ["101"], DAY) == {"101": True}


def test_an_out_of_date_mis_grant_never_clears_a_withdrawal_made_elsewhere(
    store: Store, now: datetime
) -> None:
    import_roster(store, csv_bytes(), now=now)
    store.execute(
        "UPDATE consents SET withdrawn_at = ? WHERE pupil_id = '101'", (now.isoformat(),)
    )
    report = import_roster(store, csv_bytes(), now=now + timedelta(days=1))
    assert not report.grants and not report.has_changes
    assert filmable(store, ["101"], DAY) == {"101": False}


def test_expiry_dates_and_a_file_without_expiry_column(store: Store, now: datetime) -> None:
    rows = dict(ROWS)
    rows["101"] = rows["101"].replace(",Yes,,", ",Yes,31/08/2026,")
    rows["102"] = rows["102"].replace(",Yes,,", ",Yes,2027-08-31,")
    import_roster(store, csv_bytes(rows), now=now)
    assert filmable(store, ["101", "102"], DAY) == {"101": False, "102": True}
    header = HEADER.replace("Consent Expiry", "Notes")
    import_roster(store, csv_bytes(ROWS, header), now=now)
    row = store.families.consent_row("101", "event_recording", "school record")
    assert row["valid_until"] == "2026-08-31"  # no column: the stored expiry is kept


def test_a_file_with_bad_rows_changes_nothing_and_lists_every_one(
    store: Store, now: datetime
) -> None:
    import_roster(store, csv_bytes(), now=now)
    before = dump(store)
    rows = dict(ROWS)
    rows["x1"] = ",Nobody,Here,3B,Year 3,Yes,,,,,,,,,"
    rows["x2"] = "101,Twin,Okafor,3B,Year 3,Yes,,,,,,,,,"
    rows["x3"] = "107,,Lee,,Year 3,Yes,,,,,,,,,"
    rows["x4"] = "108,Sam,Lee,3B,Year 3,Yes,next summer,,,,,,,,"
    rows["x5"] = "109,Sam,Lee,3B,Year 3,Yes,31/02/2027,,,,,,,,"
    rows["x6"] = "110,Bad\x1b[31m,Lee,3B,Year 3,Yes,,,,,,,,,"
    with pytest.raises(RosterRejected) as caught:
        import_roster(store, csv_bytes(rows), now=now)
    assert dump(store) == before
    problems = [(p.line, p.reason) for p in caught.value.report.rejected]
    assert problems == [
        (7, "missing pupil id"),
        (8, "pupil id 101 is also on line 2 with a different first name"),
        (9, "missing first name; missing class"),
        (10, "unknown consent date format 'next summer' (use 31/08/2027 or 2027-08-31)"),
        (11, "consent date '31/02/2027' is not a real date"),
        (12, "first name contains hidden control characters"),
    ]
    assert "lines 7, 8, 9, 10, 11, 12" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        (b"PK\x03\x04\x14\x00\x00\x00", "looks like an Excel workbook but could not"),
        (b"\x00\x01binary", "not a CSV text file"),
        (csv_bytes({}), "no pupils"),
        (b"Name,Age\nA,1\n", "no column for pupil_id"),
        (b"\xef\xbb\xbfAdno\xff\n", "not valid UTF-8"),
        (b"Adno,\x81\x8d\n", "neither UTF-8 nor Windows-1252"),
    ],
)
def test_unreadable_files_are_plain_errors(
    store: Store, now: datetime, data: bytes, message: str
) -> None:
    with pytest.raises(RosterError, match=message):
        import_roster(store, data, now=now)


def test_missing_file_is_a_plain_error(store: Store, now: datetime, tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="could not be read"):
        import_roster(store, tmp_path / "nope.csv", now=now)


@pytest.mark.parametrize(
    ("encode", "encoding", "delimiter"),
    [
        (lambda t: t.encode("utf-8"), "UTF-8", ","),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "UTF-8 with BOM", ","),
        (lambda t: t.encode("cp1252"), "Windows-1252", ";"),
        (lambda t: t.encode("utf-16"), "UTF-16", "\t"),
    ],
)
def test_encodings_and_delimiters_are_detected(
    store: Store, now: datetime, encode, encoding: str, delimiter: str
) -> None:
    text = "\r\n".join([HEADER, ROWS["101"], ROWS["102"]]).replace("Chidi", "Zoë")
    text = text.replace(",", delimiter)
    report = import_roster(store, encode(text), now=now)
    assert report.encoding == encoding
    assert report.delimiter == {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
    assert store.families.pupil("101")["first_name"] == "Zoë"
    assert report.columns["Adno"] == "pupil_id"  # no BOM glued to the first header


def test_family_ids_stay_when_siblings_come_and_go(store: Store, now: datetime) -> None:
    import_roster(store, csv_bytes(), now=now)
    rows = {k: v for k, v in ROWS.items() if k != "101"}  # the eldest Okafor leaves
    rows["099"] = "099,Baby,Okafor,RB,Reception,Yes,,Grace,Okafor,grace@example.org,,,,,"
    report = import_roster(store, csv_bytes(rows), now=now, confirm_leavers=True)
    assert store.families.pupil("102")["family_id"] == "F101"
    assert store.families.pupil("099")["family_id"] == "F101"  # joins the existing family
    assert report.families_added == []


def test_siblings_split_when_guardians_no_longer_match(store: Store, now: datetime) -> None:
    import_roster(store, csv_bytes(), now=now)
    rows = dict(ROWS)
    rows["104"] = "104,Lily,Hart,RB,Reception,Yes,,Kim,Hart,kim@example.org,,,,,"
    report = import_roster(store, csv_bytes(rows), now=now)
    assert store.families.pupil("103")["family_id"] == "F103"
    assert store.families.pupil("104")["family_id"] == "F104"
    assert report.families_added == ["F104"] and report.families_changed == ["F103"]
    assert store.families.get("F103")["display_name"] == "Smith family"
    assert [g["name"] for g in store.families.guardians_of_pupil("104")] == ["Kim Hart"]
    assert report.guardians_added == 1 and report.guardians_removed == 0
    assert not import_roster(store, csv_bytes(rows), now=now).has_changes


def test_guardian_who_disappears_is_removed(store: Store, now: datetime) -> None:
    import_roster(store, csv_bytes(), now=now)
    rows = dict(ROWS)
    rows["102"] = "102,Ada,Okafor,1W,Year 1,Yes,,Grace,Okafor,grace@example.org,,,,,"
    report = import_roster(store, csv_bytes(rows), now=now)
    assert report.guardians_removed == 1
    assert [g["name"] for g in store.families.guardians_of_family("F101")] == ["Grace Okafor"]


def test_other_consent_columns_are_stored(store: Store, now: datetime) -> None:
    header = "pupil_id,first_name,surname,class,consent_event_recording,consent_press"
    import_roster(store, f"{header}\nA1,Amy,Ng,3B,Y,N\n".encode(), now=now)
    rows = {r["category"]: r["value"] for r in store.families.consents_of_pupil("A1")}
    assert rows == {"event_recording": "granted", "press": "refused"}


def test_class_members_lists_on_roll_pupils_of_the_named_classes(
    store: Store, now: datetime
) -> None:
    import_roster(store, csv_bytes(), now=now)
    rows = {k: v for k, v in ROWS.items() if k != "104"}
    import_roster(store, csv_bytes(rows), now=now, confirm_leavers=True)
    assert store.families.class_members(["RB", "3B", "9Z"]) == {
        "RB": ["103"], "3B": ["101"], "9Z": []}
    assert store.families.class_members([]) == {}
