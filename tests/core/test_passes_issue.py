"""Issuing, revoking and reissuing passes: validity, audit, and no secret in the database."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiosk.errors import NotFound
from kiosk.passes import (
    PassError,
    default_valid_until,
    issue_pass,
    issue_to_families,
    reissue,
    revoke_pass,
    verify,
)
from kiosk.passes.issuing import clean_ref
from kiosk.passes.token import parse_token
from kiosk.store import Store
from support.passes_school import FAMILIES, build_families

NOW = datetime(2025, 9, 3, 9, 0, tzinfo=timezone(timedelta(0)))


@pytest.fixture
def school(store: Store) -> Store:
    build_families(store, NOW)
    return store


@pytest.mark.parametrize("today, end", [
    (date(2025, 9, 1), date(2026, 8, 31)),
    (date(2026, 1, 15), date(2026, 8, 31)),
    (date(2026, 8, 31), date(2026, 8, 31)),
    (date(2026, 12, 31), date(2027, 8, 31)),
])
def test_default_validity_is_end_of_school_year(today: date, end: date) -> None:
    assert default_valid_until(today) == end


def test_round_trip_for_every_family(school: Store) -> None:
    for family_id, *_ in FAMILIES:
        issued = issue_pass(school, family_id, now=NOW)
        check = verify(issued.token, school, NOW.date())
        assert check.ok, family_id
        assert (check.pass_id, check.family_id, check.ref) == (
            issued.pass_id, family_id, issued.ref)
        assert issued.valid_from == NOW.date() and issued.valid_until == date(2026, 8, 31)


def test_validity_window(school: Store) -> None:
    issued = issue_pass(school, "F-ADAMS", now=NOW, valid_until=date(2025, 12, 31))
    assert verify(issued.token, school, date(2025, 9, 2)).code == "not_yet_valid"
    assert verify(issued.token, school, date(2025, 9, 3)).ok
    assert verify(issued.token, school, date(2025, 12, 31)).ok
    assert verify(issued.token, school, date(2026, 1, 1)).code == "expired"
    last_evening = datetime(2025, 12, 31, 23, 0, tzinfo=timezone(timedelta(0)))
    assert verify(issued.token, school, last_evening).ok  # a datetime counts as its date


def test_end_date_in_the_past_is_refused(school: Store) -> None:
    with pytest.raises(PassError, match="has passed"):
        issue_pass(school, "F-ADAMS", now=NOW, valid_until=date(2025, 9, 2))


def test_unknown_family(school: Store) -> None:
    with pytest.raises(NotFound, match="no family with id F-NOBODY"):
        issue_pass(school, "F-NOBODY", now=NOW)
    assert school.passes.all() == []


def test_a_family_may_hold_several_labelled_passes(school: Store) -> None:
    mum = issue_pass(school, "F-ADAMS", now=NOW, label="  Mum's   phone ")
    grandparents = issue_pass(school, "F-ADAMS", now=NOW, label="Grandparents")
    assert mum.label == "Mum's phone" and mum.ref != grandparents.ref
    assert verify(mum.token, school, NOW.date()).ok
    assert verify(grandparents.token, school, NOW.date()).ok
    assert [row["label"] for row in school.passes.all("F-ADAMS")] == ["Grandparents", "Mum's phone"]


@pytest.mark.parametrize("label", ["x" * 41, "bad\x1b[31m"])
def test_bad_labels_are_refused(school: Store, label: str) -> None:
    with pytest.raises(PassError):
        issue_pass(school, "F-ADAMS", now=NOW, label=label)


def test_revoke_by_reference_as_staff_type_it(school: Store) -> None:
    issued = issue_pass(school, "F-ADAMS", now=NOW)
    row = revoke_pass(school, f" pass {issued.ref.lower()} ", reason="lost at the fair",
                      now=NOW, actor="cli", kiosk_id="admin")
    assert row["revoked_reason"] == "lost at the fair" and "secret_hash" not in row
    check = verify(issued.token, school, NOW.date())
    assert check.code == "revoked" and check.ref == issued.ref
    with pytest.raises(PassError, match="already cancelled"):
        revoke_pass(school, issued.ref, reason="again", now=NOW, actor="cli", kiosk_id="x")
    with pytest.raises(NotFound):
        revoke_pass(school, "ZZZZ", reason="lost", now=NOW, actor="cli", kiosk_id="x")
    with pytest.raises(PassError, match="Say why"):
        revoke_pass(school, issued.ref, reason="  ", now=NOW, actor="cli", kiosk_id="x")


def test_revoked_beats_expired(school: Store) -> None:
    issued = issue_pass(school, "F-ADAMS", now=NOW, valid_until=date(2025, 9, 30))
    revoke_pass(school, issued.ref, reason="lost", now=NOW, actor="cli", kiosk_id="admin")
    assert verify(issued.token, school, date(2026, 1, 1)).code == "revoked"


def test_reissue_replaces_every_unrevoked_pass_keeping_labels(school: Store) -> None:
    old = [issue_pass(school, "F-ADAMS", now=NOW, label=label) for label in ("Mum", "Dad")]
    gone = issue_pass(school, "F-ADAMS", now=NOW, label="Old")
    revoke_pass(school, gone.ref, reason="lost", now=NOW, actor="cli", kiosk_id="admin")
    later = NOW + timedelta(days=30)
    new = reissue(school, "F-ADAMS", now=later, reason="new school year")
    assert sorted(p.label for p in new) == ["Dad", "Mum"]
    for issued in old:
        assert verify(issued.token, school, later.date()).code == "revoked"
    for issued in new:
        assert verify(issued.token, school, later.date()).ok


def test_reissue_without_passes_issues_one(school: Store) -> None:
    new = reissue(school, "F-NOWAK", now=NOW)
    assert len(new) == 1 and verify(new[0].token, school, NOW.date()).ok


def test_every_issue_and_revoke_is_audited_without_secrets(school: Store) -> None:
    issued = issue_pass(school, "F-ADAMS", now=NOW, label="Mum")
    revoke_pass(school, issued.ref, reason="lost", now=NOW, actor="office", kiosk_id="admin")
    rows = school.query("SELECT * FROM audit_log ORDER BY id")
    assert [r["action"] for r in rows] == ["pass.issued", "pass.revoked"]
    assert {r["subject"] for r in rows} == {f"pass:{issued.ref}"}
    assert rows[1]["actor"] == "office"
    assert json.loads(rows[0]["detail"])["pass_id"] == issued.pass_id
    text = json.dumps(rows) + json.dumps(school.query("SELECT * FROM audit_personal"))
    assert issued.token[4:] not in text and issued.token[4:].lower() not in text
    assert parse_token(issued.token).secret.hex() not in text
    assert "Mum" not in json.dumps(rows)  # labels go to the purgeable personal part


def test_database_file_holds_no_token_or_secret(school: Store, tmp_path: Path) -> None:
    """Search the raw bytes of the database (and its WAL) for every issued secret."""
    run = issue_to_families(school, [f[0] for f in FAMILIES], tmp_path / "out", now=NOW)
    tokens = [issue_pass(school, "F-ADAMS", now=NOW).token]
    tokens += [_token_from_png(p.png) for p in run.passes]
    assert len(tokens) == len(FAMILIES) + 1
    school.conn.execute("PRAGMA wal_checkpoint(FULL)")
    assert school.path is not None
    files = [school.path, Path(f"{school.path}-wal")]
    raw = b"".join(f.read_bytes() for f in files if f.exists())
    for token in tokens:
        secret = parse_token(token).secret
        body = token[4:]
        for needle in (token.encode(), body.encode(), body.lower().encode(), secret,
                       secret.hex().encode(), secret.hex().upper().encode()):
            assert needle not in raw
        assert verify(token, school, NOW.date()).ok


def _token_from_png(path: Path) -> str:
    import cv2
    import zxingcpp

    codes = zxingcpp.read_barcodes(cv2.imread(str(path), cv2.IMREAD_GRAYSCALE))
    assert len(codes) == 1
    return codes[0].text


def test_a_reference_spelled_pass_is_still_a_reference() -> None:
    assert clean_ref("pass 7f3k") == "7F3K"
    assert clean_ref("PASS") == "PASS"
    assert clean_ref(" pass pass ") == "PASS"
