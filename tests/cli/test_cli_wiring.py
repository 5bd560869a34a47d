"""How the command line is put together: commands added by kiosk.cli, the clock from the context."""

from __future__ import annotations

import importlib
import json
import pkgutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click
from click.testing import CliRunner

import kiosk.cli
from kiosk.cli import COMMANDS, cli
from kiosk.clock import fixed_clock, system_clock

MODULES = [importlib.import_module(f"kiosk.cli.{info.name}")
           for info in pkgutil.iter_modules(kiosk.cli.__path__)]
SPRING = datetime(2027, 3, 4, 10, 15, tzinfo=timezone(timedelta(0)))


def _defined_in(module: object) -> list[click.Command]:
    """The click commands and groups a module defines itself (not ones it imports)."""
    name = getattr(module, "__name__", "")
    return [obj for obj in vars(module).values()
            if isinstance(obj, click.Command) and obj.callback is not None
            and obj.callback.__module__ == name]


def _reachable(group: click.Group) -> list[click.Command]:
    found: list[click.Command] = []
    for command in group.commands.values():
        found.append(command)
        if isinstance(command, click.Group):
            found += _reachable(command)
    return found


def test_the_root_group_holds_exactly_the_commands_kiosk_cli_adds() -> None:
    assert list(cli.commands.values()) == list(COMMANDS)
    assert not any(isinstance(obj, click.Group) for obj in vars(kiosk.cli.base).values())


def test_every_command_a_module_defines_is_reachable_and_groups_keep_their_own() -> None:
    reachable = _reachable(cli)
    for module in MODULES:
        for command in _defined_in(module):
            assert command in reachable, f"{module.__name__}.{command.name} is never added"
            if isinstance(command, click.Group):
                strangers = [c.name for c in command.commands.values()
                             if c.callback is not None
                             and c.callback.__module__ != module.__name__]
                assert not strangers, f"{module.__name__}: {strangers} registered from outside"


def _pupils_title(db: str, obj: dict[str, object] | None = None) -> str:
    result = CliRunner().invoke(cli, ["pupils", "list", "--db", db], obj=obj)
    assert result.exit_code == 0, result.output
    return result.output


def test_commands_read_the_clock_the_context_gives(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    assert CliRunner().invoke(cli, ["init", "--db", db]).exit_code == 0
    assert "judged on 2027-03-04" in _pupils_title(db, obj={"clock": fixed_clock(SPRING)})
    assert f"judged on {system_clock().date().isoformat()}" in _pupils_title(db)


def test_a_fixed_clock_dates_what_a_command_writes(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--db", db]).exit_code == 0
    assert runner.invoke(cli, ["event", "create", "fair", "--name", "Spring fair", "--date",
                               "2027-03-04", "--db", db],
                         obj={"clock": fixed_clock(SPRING)}).exit_code == 0
    logged = json.loads(runner.invoke(cli, ["audit", "log", "--format", "json",
                                            "--db", db]).output)
    created = next(e for e in logged if e["action"] == "event.created")
    assert created["at"].startswith("2027-03-04T10:15")
