"""The admin command line: help everywhere, plain errors, documented JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kiosk.cli import cli

NO_DATABASE = {"scan-image", "scan-camera"}  # read image files or a camera, never the database


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        path = (*prefix, name)
        found.append(path)
        if isinstance(command, click.Group):
            found += _commands(command, path)
    return found


@pytest.mark.parametrize("path", _commands(cli), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    command = cli
    for name in path:
        command = command.commands[name]
    assert command.help or command.short_help, f"{' '.join(path)} has no help text"


def test_every_leaf_command_takes_db(tmp_path: Path) -> None:
    for path in _commands(cli):
        command = cli
        for name in path:
            command = command.commands[name]
        if not isinstance(command, click.Group):
            options = {opt for p in command.params for opt in getattr(p, "opts", [])}
            assert "--db" in options or path[-1] in NO_DATABASE, f"{' '.join(path)} lacks --db"


def test_expected_problems_are_one_sentence_and_exit_1(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["event", "create", "nativity", "--name", "N",
                               "--date", "2026-12-10", "--db", db]).exit_code == 0
    again = runner.invoke(cli, ["event", "create", "nativity", "--name", "N",
                                "--date", "2026-12-10", "--db", db])
    assert again.exit_code == 1
    assert again.output.strip() == "Error: There is already an event called 'nativity'."
    assert "Traceback" not in again.output
    missing = runner.invoke(cli, ["event", "show", "nope", "--db", db])
    assert missing.exit_code == 1 and "no event called 'nope'" in missing.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["event", "create", "x", "--db", str(tmp_path / "k.db")])
    assert result.exit_code == 2


def test_db_comes_from_flag_then_environment(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    env_db, flag_db = tmp_path / "env.db", tmp_path / "flag.db"
    monkeypatch.setenv("KIOSK_DB", str(env_db))
    runner = CliRunner()
    runner.invoke(cli, ["init", "--school-name", "Env School"])
    runner.invoke(cli, ["init", "--school-name", "Flag School", "--db", str(flag_db)])
    env = json.loads(runner.invoke(cli, ["status", "--format", "json"]).output)
    flag = json.loads(runner.invoke(cli, ["--db", str(flag_db), "status", "--format",
                                          "json"]).output)
    assert env["school_name"] == "Env School" and env["database"] == str(env_db)
    assert flag["school_name"] == "Flag School"


def test_event_show_json_is_stable(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    runner = CliRunner()
    runner.invoke(cli, ["event", "create", "concert", "--name", "Concert", "--date",
                        "2027-07-08", "--curtain", "18:30", "--db", db])
    shown = json.loads(runner.invoke(cli, ["event", "show", "concert", "--format", "json",
                                           "--db", db]).output)
    assert shown == {
        "event": {"id": "concert", "name": "Concert", "date": "2027-07-08", "doors_open": None,
                  "curtain": "18:30", "open_to_all": False, "seats_per_family": None,
                  "now_on_stage": None},
        "judged_on": "2027-07-08",
        "items": [],
    }


def test_a_mistyped_database_path_is_refused_not_created(tmp_path: Path) -> None:
    typo = tmp_path / "kisok.db"
    for command in (["pupils", "list"], ["status"], ["event", "show", "nativity"]):
        result = CliRunner().invoke(cli, [*command, "--db", str(typo)])
        assert result.exit_code == 1
        assert "There is no kiosk database at" in result.output and "kiosk init" in result.output
    assert not typo.exists()


def test_a_database_folder_that_cannot_be_made_is_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(cli, ["init", "--db", str(blocker / "sub" / "k.db")])
    assert result.exit_code == 1
    assert "could not be created" in result.output and "Traceback" not in result.output
