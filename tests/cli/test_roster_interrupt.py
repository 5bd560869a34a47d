"""Ctrl+C during `kiosk import roster`: before the commit nothing changes and it says so;
after it, the output says the import was saved (never a bare "Aborted!")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import kiosk.cli.roster as roster_cli
from kiosk.cli import cli
from kiosk.store.roster import FamilyTable

EXPORT = "Adno,Forename,Surname,Reg Group,Photo Consent\n1,Ann,Lee,3B,Yes\n2,Bo,Ng,3B,No\n"


def _invoke(db: Path, path: Path):
    return CliRunner().invoke(cli, ["--db", str(db), "import", "roster", str(path)])


def _pupils(db: Path) -> list:
    result = CliRunner().invoke(cli, ["--db", str(db), "pupils", "list", "--format", "json"])
    return json.loads(result.output)


def test_interrupted_while_writing_changes_nothing_and_says_so(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.csv"
    path.write_text(EXPORT, encoding="utf-8")
    original = FamilyTable.save_pupils

    def interrupted(self: FamilyTable, rows: list) -> None:
        original(self, rows)
        raise KeyboardInterrupt

    monkeypatch.setattr(FamilyTable, "save_pupils", interrupted)
    result = _invoke(db_path, path)
    assert result.exit_code == 1
    assert "Interrupted before the import was saved: nothing was changed." in result.output
    monkeypatch.undo()
    assert _pupils(db_path) == []


def test_interrupted_while_printing_says_the_import_was_saved(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.csv"
    path.write_text(EXPORT, encoding="utf-8")

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(roster_cli, "emit", interrupted)
    result = _invoke(db_path, path)
    assert result.exit_code == 130
    assert result.output.startswith("Saved: the import was written to the database")
    assert "the import was saved" in result.output
    assert "Aborted!" not in result.output
    monkeypatch.undo()
    assert len(_pupils(db_path)) == 2
