"""Every report notes the audit chain heads; `audit verify --against` it catches a cut tail.

Reports (PDF, CSV, Markdown, the roll call) are made first; then the audit table is cut
or its last entry rewritten by raw sqlite3, as someone with the file would. The file
alone still verifies; against any report made before, verify names the chain and says so.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kiosk.audit.log import heads_text, parse_heads
from kiosk.cli import cli
from support.data_protection_school import School

pytest_plugins = ("support.data_protection_fixtures",)

CHAIN = "admin"  # its last entry (the report's own sign-in) is cut: no record misses it


def _run(path: Path, *args: str, pin: str | None = None) -> Result:
    result = CliRunner().invoke(cli, ["--db", str(path), *args],
                                input=f"{pin}\n" if pin else None)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def reports(school_db: tuple[Path, School], tmp_path: Path) -> tuple[Path, list[Path]]:
    """Every kind of report of the fixture school, written before anything is cut."""
    path, _ = school_db
    folder = tmp_path / "reports"
    folder.mkdir()
    _run(path, "report", "violations", "--event", "nativity", "--format", "pdf", "--format",
         "csv", "--format", "md", "--out", str(folder), "--staff", "Helen Head", pin="333333")
    _run(path, "report", "event", "nativity", "--format", "pdf", "--format", "csv",
         "--out", str(folder))
    _run(path, "rollcall", "nativity", "--format", "pdf", "--out", str(folder / "roll.pdf"))
    _run(path, "rollcall", "nativity", "--format", "csv", "--out", str(folder / "roll.csv"))
    written = sorted(folder.iterdir())
    assert len(written) == 7
    return path, written


def _raw(path: Path, *sql: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in sql:
        conn.execute(statement)
    conn.close()


def _verify_against(path: Path, report: Path) -> Result:
    return CliRunner().invoke(cli, ["--db", str(path), "audit", "verify", "--against",
                                    str(report)])


def test_every_report_notes_the_heads_and_verifies_clean(
        reports: tuple[Path, list[Path]]) -> None:
    path, written = reports
    for report in written:
        noted = parse_heads(report.read_bytes().decode("utf-8", "replace"))
        assert CHAIN in noted, report.name
        result = _verify_against(path, report)
        assert result.exit_code == 0, (report.name, result.output)
        assert report.stat().st_mode & 0o077 == 0, report.name  # names of children: 0600


def test_a_truncated_audit_table_fails_against_every_report(
        reports: tuple[Path, list[Path]]) -> None:
    path, written = reports
    _raw(path, "DROP TRIGGER audit_log_no_delete",
         f"DELETE FROM audit_log WHERE kiosk_id = '{CHAIN}' AND seq >="
         f" (SELECT MAX(seq) FROM audit_log WHERE kiosk_id = '{CHAIN}')")
    alone = CliRunner().invoke(cli, ["--db", str(path), "audit", "verify"])
    assert alone.exit_code == 0  # the file alone cannot show a cut end
    for report in written:
        result = _verify_against(path, report)
        assert result.exit_code == 1, report.name
        assert f"TAMPERED: kiosk '{CHAIN}', entry" in result.output
        assert (f"it is gone, but {report} noted it (the end of the chain was cut off)"
                in result.output)


def test_a_rewritten_last_entry_fails_against_a_report(
        reports: tuple[Path, list[Path]]) -> None:
    path, written = reports
    _raw(path, "DROP TRIGGER audit_log_no_update",
         f"UPDATE audit_log SET hash = '{'0' * 64}' WHERE kiosk_id = '{CHAIN}' AND seq ="
         f" (SELECT MAX(seq) FROM audit_log WHERE kiosk_id = '{CHAIN}')")
    result = _verify_against(path, next(p for p in written if p.suffix == ".pdf"))
    assert result.exit_code == 1
    assert "the chain was rewritten" in result.output


def test_a_file_that_notes_no_heads_is_refused(school_db: tuple[Path, School],
                                              tmp_path: Path) -> None:
    path, _ = school_db
    other = tmp_path / "notes.txt"
    other.write_text("nothing here\n")
    result = _verify_against(path, other)
    assert result.exit_code != 0 and "notes no audit chain heads" in result.output


def test_heads_of_a_door_named_with_spaces_read_back() -> None:
    heads = {"North door": (4, "a" * 64), "Salle Æ": (2, "b" * 64), "door-1": (9, "c" * 64)}
    text = heads_text(heads)
    assert text.isascii() and "North%20door 4" in text
    assert parse_heads(text) == heads


def test_a_truncated_tail_is_caught_against_a_backup(school_db: tuple[Path, School],
                                                    tmp_path: Path) -> None:
    path, _ = school_db
    saved = tmp_path / "saved.db"
    _run(path, "backup", str(saved), "--staff", "Ada Admin", pin="444444")
    _raw(path, "DROP TRIGGER audit_log_no_delete",  # the sign-in and the backup's own entry
         f"DELETE FROM audit_log WHERE kiosk_id = '{CHAIN}' AND seq >="
         f" (SELECT MAX(seq) - 1 FROM audit_log WHERE kiosk_id = '{CHAIN}')")
    result = _verify_against(path, saved)
    assert result.exit_code == 1
    assert f"it is gone, but {saved} noted it (the end of the chain was cut off)" in result.output
