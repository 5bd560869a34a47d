"""Erasure: refused on legal hold or an open violation, otherwise every trace of the family goes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.audit import verify as audit
from kiosk.cli import cli
from kiosk.errors import NotFound
from kiosk.privacy.erasure import ErasureRefused, erase_family, erasure_blockers
from kiosk.privacy.retention import set_legal_hold
from kiosk.store import Store, open_store
from kiosk.violations.workflow import close
from support.data_protection_school import NAMES, NOW, School

pytest_plugins = ("support.data_protection_fixtures",)  # the fixture school


def _file_bytes(path: Path) -> bytes:
    """The database file and whatever write-ahead log sits beside it."""
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_erasure_is_refused_while_a_violation_concerning_the_family_is_open(
    school_store: tuple[Store, School],
) -> None:
    store, school = school_store
    with pytest.raises(ErasureRefused, match=f"Violation {school.violations['old_open']} "):
        erase_family(store, "F-THORN", now=NOW)
    assert store.families.get("F-THORN") is not None
    close(store, school.violations["old_open"], "Resolved.", staff_id=school.staff_id,
          now=NOW, kiosk_id="office")
    assert erasure_blockers(store, "F-THORN") == []


def test_erasure_is_refused_while_the_family_is_on_legal_hold(
    school_store: tuple[Store, School],
) -> None:
    store, _ = school_store
    with pytest.raises(ErasureRefused, match="legal hold"):
        erase_family(store, "F-HOLD", now=NOW)
    assert store.families.get("F-HOLD") is not None
    set_legal_hold(store, "F-HOLD", False, now=NOW)
    assert erase_family(store, "F-HOLD", now=NOW).removed["families"] == 1


def test_a_child_in_an_open_violation_blocks_erasure_too(
    school_store: tuple[Store, School],
) -> None:
    store, school = school_store
    store.execute("INSERT INTO violation_children VALUES (?, 'F-ROSE-1')",
                  (school.violations["old_open"],))
    assert "not closed" in " ".join(erasure_blockers(store, "F-ROSE"))


def test_erasure_removes_every_trace_of_the_family(
    school_db: tuple[Path, School],
) -> None:
    path, school = school_db
    store = open_store(path)
    result = erase_family(store, "F-ROSE", now=NOW, actor="staff:1", kiosk_id="office")
    assert result.removed["pupils"] == 2 and result.removed["guardians"] == 1
    assert result.removed["checkins"] == 2 and result.removed["violation_children"] == 2
    assert result.log_emptied
    dump = "\n".join(store.conn.iterdump())
    for name in NAMES["F-ROSE"]:
        assert name not in dump, name
    assert "F-ROSE-0" not in dump and "F-ROSE-1" not in dump
    # Closed violations stay as the school's record, without the child.
    kept = store.query_one("SELECT * FROM violations WHERE id = ?",
                           (school.violations["old_closed"],))
    assert kept is not None and kept["family_id"] == "F-THORN"
    # Other families are untouched, and the audit chain still verifies.
    assert len(store.privacy.family_pupils_all("F-THORN")) == 1
    assert store.privacy.family_checkins("F-THORN") != []
    assert audit.verify(store).ok
    store.close()
    raw = _file_bytes(path)
    for name in NAMES["F-ROSE"]:
        assert name.encode() not in raw, name


def test_the_erasure_is_audited_without_personal_data(
    school_store: tuple[Store, School],
) -> None:
    store, _ = school_store
    erase_family(store, "F-ROSE", now=NOW)
    entry = store.query_one("SELECT * FROM audit_log WHERE action = 'family.erased'")
    assert entry["subject"].startswith("family:") and entry["personal_digest"] is None
    assert "F-ROSE" not in entry["subject"] + entry["detail"]  # no MIS id in the chain
    assert json.loads(entry["detail"])["families"] == 1
    assert store.query("SELECT * FROM audit_personal WHERE family_id = 'F-ROSE'") == []


def test_erasing_an_unknown_family_says_so(store: Store) -> None:
    with pytest.raises(NotFound):
        erase_family(store, "F-NOBODY", now=NOW)


def test_a_family_named_by_its_pass_only_is_unlinked(
    school_store: tuple[Store, School],
) -> None:
    store, school = school_store
    pass_id = store.privacy.family_passes("F-ROSE")[0]["id"]
    store.execute("UPDATE violations SET pass_id = ? WHERE id = ?",
                  (pass_id, school.violations["recent_closed"]))
    erase_family(store, "F-ROSE", now=NOW)
    kept = store.query_one("SELECT pass_id FROM violations WHERE id = ?",
                           (school.violations["recent_closed"],))
    assert kept == {"pass_id": None}


def test_cli_erase_asks_first_and_refuses_plainly(school_db: tuple[Path, School]) -> None:
    path, _ = school_db
    runner = CliRunner()
    base = ["--db", str(path), "erase", "family", "--staff", "Ada Admin"]
    pin = "444444\n"
    unsigned = runner.invoke(cli, ["--db", str(path), "erase", "family", "F-ROSE", "--yes"])
    assert unsigned.exit_code == 1 and "--staff NAME (an admin or above)" in unsigned.output
    refused = runner.invoke(cli, [*base, "F-HOLD", "--yes"], input=pin)
    assert refused.exit_code == 1 and "legal hold" in refused.output
    declined = runner.invoke(cli, [*base, "F-ROSE"], input=pin + "n\n")
    assert declined.exit_code == 1
    kept = open_store(path)
    assert kept.families.get("F-ROSE") is not None
    kept.close()
    done = runner.invoke(cli, [*base, "F-ROSE"], input=pin + "y\n")
    assert done.exit_code == 0, done.output
    assert "Erased family F-ROSE" in done.output and "Backups" in done.output
