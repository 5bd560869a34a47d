"""A first-release database (plain SHA-256 chains, no key file) upgraded by this release.

Opening it makes its key file and anchors each chain with a keyed entry recording the
old head; `kiosk audit verify` then checks the old part with SHA-256 up to the anchor
and the keyed part after it. Tampering on either side is named; a chain already broken
at the upgrade is said so plainly and recorded in its anchor.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kiosk.audit import log as audit
from kiosk.audit.verify import verify
from kiosk.cli import cli
from kiosk.security.chain import ANCHOR_ACTION, CHAINED_FIELDS, GENESIS, canonical
from kiosk.security.keys import key_path
from kiosk.staff import authenticate
from kiosk.store import open_store
from support.first_release import FirstRelease, build_first_release
from support.school import quick_hashes


@pytest.fixture
def first(tmp_path: Path) -> FirstRelease:
    return build_first_release(tmp_path / "kiosk.db")


def _verify(path: Path) -> Result:
    return CliRunner().invoke(cli, ["--db", str(path), "audit", "verify"])


def _raw(path: Path, *sql: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in sql:
        conn.execute(statement)
    conn.close()


def _anchors(path: Path) -> dict[str, dict]:
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT kiosk_id, seq, prev_hash, detail FROM audit_log"
                        " WHERE action = ?", (ANCHOR_ACTION,)).fetchall()
    conn.close()
    return {kiosk: {"seq": seq, "prev": prev, **json.loads(detail)["first_release"]}
            for kiosk, seq, prev, detail in rows}


def _upgrade(path: Path) -> None:
    open_store(path).close()


def test_the_upgrade_verifies_clean_and_the_keyed_chain_goes_on(first: FirstRelease) -> None:
    assert not key_path(first.path).exists()
    done = _verify(first.path)
    assert done.exit_code == 0, done.output
    assert key_path(first.path).stat().st_mode & 0o777 == 0o600
    anchors = _anchors(first.path)
    assert {k: (a["seq"], a["entries"], a["intact"]) for k, a in anchors.items()} == {
        kiosk: (n + 1, n, True) for kiosk, n in first.entries.items()}
    assert ("Note: kiosk 'North door': entries 1 to 3 are from the first release (SHA-256),"
            in done.output)
    assert "OK: the audit log is intact." in done.output
    assert "OK: the records match the audit log" in done.output
    store = open_store(first.path)  # opened again: nothing more is anchored
    try:
        audit.append(store, kiosk_id="North door", at=datetime.now(UTC), actor="cli",
                     action="settings.changed", subject="settings", detail={"key": "x"})
        report = verify(store)
    finally:
        store.close()
    assert report.ok, report.problems
    assert len(_anchors(first.path)) == len(first.entries)
    assert report.entries["North door"] == first.entries["North door"] + 2


def test_tampering_before_the_anchor_is_named(first: FirstRelease) -> None:
    _upgrade(first.path)
    _raw(first.path, "DROP TRIGGER audit_log_no_update",
         "UPDATE audit_log SET at = '2026-12-10T09:00:00+00:00'"
         " WHERE kiosk_id = 'admin' AND seq = 4")
    done = _verify(first.path)
    assert done.exit_code == 1
    assert ("TAMPERED: kiosk 'admin', entry 4 (id 4): it was changed after it was written"
            " (its first-release SHA-256 hash does not match), before the upgrade."
            in done.output)


def test_a_first_release_part_rewritten_with_sha256_is_caught_at_its_anchor(
        first: FirstRelease) -> None:
    """SHA-256 can be recomputed by anyone; the keyed anchor's record of the head cannot."""
    _upgrade(first.path)
    conn = sqlite3.connect(first.path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_update")
    rows = conn.execute(f"SELECT id, {', '.join(CHAINED_FIELDS)} FROM audit_log WHERE"
                        f" kiosk_id = 'admin' AND action != ? ORDER BY seq",
                        (ANCHOR_ACTION,)).fetchall()
    prev = GENESIS
    for row in rows:
        entry = dict(zip(CHAINED_FIELDS, row[1:], strict=True))
        if entry["seq"] == 2:
            entry["detail"] = canonical({"role": "admin"})  # Lee Lead made an admin
        digest = hashlib.sha256((prev + canonical(entry)).encode()).hexdigest()
        conn.execute("UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?",
                     (entry["detail"], prev, digest, row[0]))
        prev = digest
    conn.close()
    done = _verify(first.path)
    assert done.exit_code == 1
    assert (f"TAMPERED: kiosk 'admin', entry {first.entries['admin'] + 1}" in done.output
            and "the first-release entries before this upgrade entry are not the ones it"
            " recorded (they were cut or rewritten since)" in done.output)


def test_tampering_after_the_anchor_is_named(first: FirstRelease) -> None:
    store = open_store(first.path)
    try:
        audit.append(store, kiosk_id="office", at=datetime.now(UTC), actor="cli",
                     action="settings.changed", subject="settings", detail={"key": "x"})
    finally:
        store.close()
    _raw(first.path, "DROP TRIGGER audit_log_no_update",
         "UPDATE audit_log SET detail = '{\"key\":\"y\"}' WHERE kiosk_id = 'office'"
         " AND action = 'settings.changed'")
    done = _verify(first.path)
    assert done.exit_code == 1
    assert ("TAMPERED: kiosk 'office', entry 3" in done.output
            and "does not match the audit key's" in done.output)


def test_a_chain_broken_before_the_upgrade_is_said_so_and_recorded(
        first: FirstRelease, caplog: pytest.LogCaptureFixture) -> None:
    _raw(first.path, "DROP TRIGGER audit_log_no_update",
         "UPDATE audit_log SET at = '2026-12-10T09:00:00+00:00'"
         " WHERE kiosk_id = 'admin' AND seq = 4")
    with caplog.at_level(logging.WARNING):
        _upgrade(first.path)
    assert ("The audit chain of kiosk 'admin' (6 first-release entries) was ALREADY BROKEN"
            " when this release took over: entry 4: it was changed after it was written"
            in caplog.text)
    anchor = _anchors(first.path)["admin"]
    assert not anchor["intact"] and [seq for seq, _ in anchor["breaks"]] == [4]
    done = _verify(first.path)
    assert done.exit_code == 0, done.output  # the records hold; the old break is recorded
    assert "BROKEN BEFORE THE UPGRADE: the first-release part of kiosk 'admin'" in done.output
    assert "OK: the audit log is intact since the upgrade." in done.output
    _raw(first.path, "UPDATE audit_log SET actor = 'someone' WHERE kiosk_id = 'admin'"
                     " AND seq = 2")
    again = _verify(first.path)  # a new break before the anchor is still named
    assert again.exit_code == 1 and "TAMPERED: kiosk 'admin', entry 2" in again.output


def test_a_keyed_database_without_its_key_file_is_not_re_anchored(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    store = open_store(path)
    try:
        audit.append(store, kiosk_id="admin", at=datetime.now(UTC), actor="cli",
                     action="settings.changed", subject="settings", detail={"key": "x"})
    finally:
        store.close()
    key_path(path).unlink()
    done = _verify(path)
    assert done.exit_code != 0 and "The key file" in done.output and "is missing" in done.output
    assert not key_path(path).exists() and _anchors(path) == {}


def test_keyed_chains_made_before_the_upgrade_step_get_no_anchor(tmp_path: Path) -> None:
    """A database this release made before m010 existed: its chains are keyed already."""
    path = tmp_path / "kiosk.db"
    store = open_store(path)
    try:
        audit.append(store, kiosk_id="admin", at=datetime.now(UTC), actor="cli",
                     action="settings.changed", subject="settings", detail={"key": "x"})
    finally:
        store.close()
    _raw(path, "DELETE FROM _sqlite_migrations WHERE name = 'm010_audit_keyed_chains'")
    done = _verify(path)
    assert done.exit_code == 0, done.output
    assert _anchors(path) == {} and "first release" not in done.output


def test_first_release_pins_are_retired_and_one_new_admin_is_free(
        first: FirstRelease, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    quick_hashes(monkeypatch)
    with caplog.at_level(logging.WARNING):
        _upgrade(first.path)
    assert "Staff PINs from the first release (4 digits, no pepper) no longer sign in" \
        in caplog.text
    runner = CliRunner()
    added = runner.invoke(cli, ["--db", str(first.path), "staff", "add", "Ada Admin",
                                "--role", "admin"], input="444444\n444444\n")
    assert added.exit_code == 0, added.output
    again = runner.invoke(cli, ["--db", str(first.path), "staff", "add", "Mallory", "--role",
                                "admin"], input="999999\n999999\n")
    assert again.exit_code == 1 and "--staff NAME" in again.output  # free once only
    reset = runner.invoke(cli, ["--db", str(first.path), "staff", "reset-pin", "Lee Lead",
                                "--staff", "Ada Admin"], input="444444\n222222\n222222\n")
    assert reset.exit_code == 0, reset.output
    store = open_store(first.path)
    try:
        assert authenticate(store, "Lee Lead", "222222", now=datetime.now(UTC),
                            kiosk_id="t").name == "Lee Lead"
        assert verify(store).ok
    finally:
        store.close()
