"""What every command shares: the error contract, the run's clock, --db, output formats.

The root group itself is assembled in kiosk.cli (`cli.add_command`), so importing a
command module registers nothing.
"""

from __future__ import annotations

import csv
import functools
import json
import re
import sqlite3
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, TextIO

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kiosk.audit.log import HEADS_TITLE
from kiosk.clock import Clock, system_clock
from kiosk.config import resolve_db_path
from kiosk.errors import KioskError
from kiosk.safetext import safe_text
from kiosk.staff import Role, StaffSession, a_role, authenticate, require_role
from kiosk.store import Store, open_store
from kiosk.store.connection import plain_reason

FORMATS = ("table", "json", "csv")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NOT_PLAIN_ASCII = re.compile(r"[^\x20-\x7e\n]")
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


class KioskGroup(click.Group):
    """A group that turns expected problems into one plain sentence and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; KioskError and SQLite failures become 'Error: ...'."""
        try:
            return super().invoke(ctx)
        except KioskError as error:
            raise click.ClickException(str(error)) from error
        except sqlite3.Error as error:
            raise click.ClickException(plain_reason(error)) from error


def run_clock() -> Clock:
    """The clock of the command being run: `obj["clock"]`, else the system clock.

    Tests set it with `CliRunner().invoke(cli, args, obj={"clock": fixed_clock(...)})`
    (or `cli.main(obj=...)`); every command then runs at that moment.
    """
    root = click.get_current_context().find_root()
    clock: Clock = (root.obj or {}).get("clock") or system_clock
    return clock


def read_clock() -> datetime:
    """The time now on this run's clock (commands never call system_clock themselves)."""
    return run_clock()()


def store_option(
    func: Callable[..., Any] | None = None, *, create: bool = False
) -> Callable[..., Any]:
    """Add `--db` to a command and pass it an open `store` (closed after the command).

    Only commands that set a school up (`create=True`: init, import roster, staff add,
    event create) make a new database file: for the rest a mistyped path is an error,
    not a new empty school.
    """

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @click.option(
            "--db",
            "db_path",
            type=click.Path(dir_okay=False),
            default=None,
            help="Database file (default: the group's --db, $KIOSK_DB, else per-user kiosk.db).",
        )
        @click.pass_context
        @functools.wraps(command)
        def wrapper(ctx: click.Context, *args: Any, db_path: str | None, **kwargs: Any) -> Any:
            root = ctx.find_root().obj or {}
            path = resolve_db_path(db_path or root.get("db_path"))
            if not create and not path.exists():
                raise KioskError(
                    f"There is no kiosk database at {path}. Create one with `kiosk init`"
                    " (or name another file with --db)."
                )
            store = open_store(path)
            try:
                return ctx.invoke(command, *args, store=store, **kwargs)
            finally:
                store.close()

        return wrapper

    return decorate(func) if func is not None else decorate


SIGN_IN_KIOSK = "admin"
"""The chain (and the wrong-PIN streak) of PINs typed at the command line."""

FreeWhen = Callable[[Store, dict[str, Any]], bool]


def ask_pin(prompt: str, *, twice: bool = False) -> str:
    """Read a PIN hidden from the terminal, or a line of standard input when it is not one.

    The prompt goes to standard error, so JSON or CSV on standard output stays clean.
    """
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=twice,
                            show_default=False, err=True))


def acting_staff(
    minimum: Role, *, free_when: FreeWhen | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add `--staff NAME`, ask that member's PIN and pass the signed-in `member` on.

    Goes under `@store_option`. The PIN is checked by kiosk.staff with the same back-off
    and lock as a kiosk, then the role; the command records `member.actor`. `free_when`
    names the one case needing nobody (the first admin of an empty database): `member`
    is None then.
    """

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @click.option("--staff", "staff_name", metavar="NAME", default=None,
                      help=f"You: {minimum.value} or above (your PIN is asked, hidden).")
        @functools.wraps(command)
        def wrapper(*args: Any, store: Store, staff_name: str | None, **kwargs: Any) -> Any:
            if staff_name is None and free_when is not None and free_when(store, kwargs):
                return command(*args, store=store, member=None, **kwargs)
            if not staff_name:
                raise KioskError(f"Name yourself with --staff NAME ({a_role(minimum)} or"
                                 " above); your PIN is then asked.")
            member = sign_in(store, staff_name, minimum)
            return command(*args, store=store, member=member, **kwargs)

        return wrapper

    return decorate


def sign_in(store: Store, name: str, minimum: Role) -> StaffSession:
    """Ask NAME's PIN, sign them in on the command line's chain and check their role."""
    pin = ask_pin(f"PIN for {name.strip()}")
    session = authenticate(store, name, pin, now=read_clock(), kiosk_id=SIGN_IN_KIOSK)
    require_role(store, session.staff_id, minimum)
    return session


TOKEN_IN_ARGV = (
    "A pass code typed on the command line shows in `ps` and the shell history; give '-'"
    " and pipe it in, or leave it out to be asked for it."
)


def read_token(argument: str | None) -> str:
    """A pass code from standard input ('-'), or asked hidden; refused from argv."""
    if argument not in (None, "-"):
        raise KioskError(TOKEN_IN_ARGV)
    if argument == "-" or not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    return str(click.prompt("Pass code", hide_input=True, err=True)).strip()


def format_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add `--format table|json|csv` (default table)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format; JSON is stable and documented in the README.",
    )(func)


def neutralise_cell(value: Any) -> Any:
    """Stop spreadsheet formula injection: prefix text starting with = + - @ with a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(out: TextIO, rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *,
              heads: str = "") -> None:
    """Write rows as CSV with formula-looking cells neutralised (every CSV export uses this).

    With `heads` (kiosk.audit.log.heads_text), a blank row and then the audit chain heads,
    one per row in the first column, end the file: a spreadsheet shows them below the
    table, and `kiosk audit verify --against` finds them.
    """
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise_cell(row.get(k)) for k in columns})
    if heads:
        tail = csv.writer(out)
        tail.writerows([[], [HEADS_TITLE], *([line] for line in heads.splitlines())])


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    return json.dumps(char)[1:-1] if unicodedata.category(char) in _HIDDEN else char


def safe_json(value: Any) -> str:
    """Indented JSON safe to print on a terminal: escapes, bidi and C1 characters as \\u.

    json.dumps escapes only C0 controls; a name holding DEL, a C1 control or a bidi
    override would otherwise reach the terminal raw. The JSON value is unchanged.
    """
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return _NOT_PLAIN_ASCII.sub(_escaped, text)


def emit(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: str,
    *,
    title: str | None = None,
    json_value: Any = None,
) -> None:
    """Print rows as a Rich table, JSON (`json_value` if given, else the rows) or CSV."""
    if fmt == "json":
        value = rows if json_value is None else json_value
        click.echo(safe_json(value))
    elif fmt == "csv":
        write_csv(sys.stdout, rows, columns)
    else:
        table = Table(title=title, show_lines=False)
        for column in columns:
            table.add_column(column.replace("_", " "))
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        Console(highlight=False).print(table)


def _cell(value: Any) -> Text:
    """A table cell as literal text: no Rich markup, no control characters."""
    if value is None:
        return Text("")
    if isinstance(value, bool):
        return Text("yes" if value else "no")
    return Text(safe_text(value))


__all__ = [
    "KioskGroup",
    "Store",
    "acting_staff",
    "ask_pin",
    "emit",
    "format_option",
    "read_clock",
    "read_token",
    "run_clock",
    "safe_json",
    "sign_in",
    "store_option",
    "write_csv",
]
