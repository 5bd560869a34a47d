"""Hostile roster files in, spreadsheet formulas out.

The importer either imports a file as given or refuses it (naming the lines) with the
database untouched. Every CSV the kiosk writes neutralises cells that a spreadsheet
would run as a formula (= + - @ tab CR), however the text got into the database.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kiosk.checkin.service import check_in
from kiosk.cli import cli
from kiosk.events import add_item, create_event
from kiosk.passes.issuing import issue_pass
from kiosk.roster import RosterError, RosterRejected, import_roster
from kiosk.staff import add_staff
from kiosk.store import Store, open_store
from kiosk.violations.workflow import close, log_violation

from .hostile import CORPUS, grown, table_counts, terminal_safe

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
ROSTERS = CORPUS / "roster"
EXPECT: dict[str, dict] = json.loads((ROSTERS / "expect.json").read_text("utf-8"))["files"]
HEADER = b"Adno,Legal Forename,Legal Surname,Reg Group,Photo Consent\r\n"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TERMINAL = "\x1b[2J\x1b]0;title\x07\u202e\x9b31m\x7f"  # clear, retitle, RLO, CSI, DEL


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "kiosk.db")
    yield opened
    opened.close()


def test_every_roster_file_in_the_corpus_has_an_expectation() -> None:
    assert sorted(EXPECT) == sorted(p.name for p in ROSTERS.glob("*.csv"))


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_hostile_roster_is_imported_as_given_or_refused_untouched(
    store: Store, name: str
) -> None:
    expect = EXPECT[name]
    assert store.path is not None
    before = table_counts(store.path)
    if "imported" in expect:
        import_roster(store, ROSTERS / name, now=NOW)
        names = {f"{p['first_name']} {p['surname']}" for p in store.families.pupils()}
        assert names == set(expect["imported"])
        return
    with pytest.raises(RosterError) as refused:
        import_roster(store, ROSTERS / name, now=NOW)
    message = str(refused.value)
    if "rejected_lines" in expect:
        assert isinstance(refused.value, RosterRejected)
        assert [r.line for r in refused.value.report.rejected] == expect["rejected_lines"]
        assert all(r.reason for r in refused.value.report.rejected)
        assert "line" in message
    else:
        assert expect["refused"] in message
    assert grown(before, table_counts(store.path)) == {}


@pytest.mark.parametrize(
    ("cell_size", "says"),
    [(121, "longer than 120 characters"), (1_000_000, "Line 2 could not be read")],
)
def test_huge_fields_are_refused_with_their_line(store: Store, cell_size: int, says: str) -> None:
    data = HEADER + b"1," + b"A" * cell_size + b",Smith,RB,Yes\r\n"
    with pytest.raises(RosterError) as refused:
        import_roster(store, data, now=NOW)
    rejected = getattr(refused.value, "report", None)
    reasons = [str(refused.value), *(r.reason for r in (rejected.rejected if rejected else []))]
    assert "line 2" in reasons[0].lower()
    assert any(says in reason for reason in reasons), reasons
    assert store.families.pupils() == []


def test_a_file_over_20_mb_is_refused_before_it_is_read(store: Store) -> None:
    data = HEADER + b"1,Ann,Smith,RB,Yes\r\n" * 1_200_000
    with pytest.raises(RosterError, match="too large"):
        import_roster(store, data, now=NOW)


def _hostile_school(db: Path) -> tuple[str, str]:
    """A school whose exported text starts like a formula or holds terminal escapes.

    Returns a pass token and its family id.
    """
    store = open_store(db)
    try:
        import_roster(store, ROSTERS / "formula.csv", now=NOW)
        with store.immediate():  # as if written by an older version or another tool
            store.db["pupils"].update("1003", {"first_name": f"Ann{TERMINAL}"})
            store.db["families"].update("F1003", {"display_name": f"[red]x[/red]{TERMINAL}"})
        add_staff(store, f"Eve{TERMINAL}", "steward", "555555", now=NOW)
        head = add_staff(store, "=Head(1)", "headteacher", "333333", now=NOW)
        add_staff(store, "@Admin", "admin", "444444", now=NOW)
        create_event(store, "nativity", '=HYPERLINK("http://x.test","Nativity")',
                     NOW.date() + timedelta(days=9), now=NOW)
        add_item(store, "nativity", "+Shepherds", now=NOW, classes=["RB"])
        family = store.families.all()[0]["id"]
        token = issue_pass(store, family, now=NOW, label="@label").token
        day = datetime(2026, 12, 10, 18, tzinfo=UTC)
        check_in(store, token, "nativity", now=day, kiosk_id="-door", nonce="n1")
        check_in(store, "=cmd|' /C calc'!A0", "nativity", now=day, kiosk_id="-door",
                 nonce="n2")
        violation = log_violation(
            store, event_id="nativity", kind="other", reported_by=head, now=day,
            kiosk_id="-door", family_id=family, description="-desc", notes="=notes",
        )
        close(store, violation, "=outcome", staff_id=head, now=day, kiosk_id="-door")
        return token, family
    finally:
        store.close()


# Every command that can write CSV, with arguments; `None` marks where --out goes.
EXPORTS: dict[str, list[str | None]] = {
    "audit log": ["audit", "log", "--format", "csv"],
    "purge": ["purge", "--dry-run", "--format", "csv"],
    "settings retention": ["settings", "retention", "--format", "csv"],
    "event list": ["event", "list", "--format", "csv"],
    "event show": ["event", "show", "nativity", "--format", "csv"],
    "passes issue": ["passes", "issue", "--all", "--label", "=x", "--no-bulk", "--format", "csv",
                     "--out", None],
    "passes reissue": ["passes", "reissue", "{family}", "--format", "csv", "--out", None],
    "passes list": ["passes", "list", "--format", "csv"],
    "passes verify": ["passes", "verify", "-", "--format", "csv"],
    "report violations": ["report", "violations", "--out", None],
    "report event": ["report", "event", "nativity", "--out", None],
    "pupils list": ["pupils", "list", "--format", "csv"],
    "staff list": ["staff", "list", "--format", "csv"],
    "violations list": ["violations", "list", "--format", "csv"],
    "status": ["status", "--format", "csv"],
    "notify list": ["notify", "list", "--format", "csv"],
    "report postings": ["report", "postings", "--format", "csv"],
    "settings show": ["settings", "show", "--format", "csv"],
    "family flags": ["family", "flags", "--format", "csv"],
    "rollcall": ["rollcall", "nativity", "--format", "csv"],
}
# Exports that carry some hostile text (the others only numbers, codes and dates).
CARRY_TEXT = {"event list", "event show", "passes issue", "passes reissue", "passes list",
              "report violations", "report event", "pupils list", "staff list",
              "violations list", "audit log"}


# Commands that show names or change passes: signed by an admin (PIN on standard input).
SIGNED = {"passes issue", "passes reissue", "report violations", "violations list"}


def _csv_commands(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[str]:
    """Names of every CLI command with an option that offers csv."""
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _csv_commands(sub, (*path, name))
        return
    for param in command.params:
        if isinstance(param.type, click.Choice) and "csv" in param.type.choices:
            yield " ".join(path)
            return


def test_every_csv_export_is_covered_here() -> None:
    assert sorted(set(_csv_commands(cli))) == sorted(EXPORTS), (
        "a command that writes CSV is missing from EXPORTS: add it so its cells are checked"
    )


def _csv_texts(out: Path, output: str) -> list[str]:
    """The CSV the command wrote: its files under `out`, else its standard output."""
    files = sorted(out.rglob("*.csv")) if out.exists() else []
    return [f.read_text("utf-8-sig") for f in files] or [output]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_csv_exports_neutralise_formulas(tmp_path: Path, name: str) -> None:
    db = tmp_path / "kiosk.db"
    token, family = _hostile_school(db)
    out = tmp_path / "out"
    out.mkdir()  # --out into a folder that does not exist is refused
    args = [str(out / "export.csv") if a is None and name.startswith("report") else
            str(out) if a is None else a.format(token=token, family=family)
            for a in EXPORTS[name]]
    signed = name in SIGNED
    if signed:
        args += ["--staff", "@Admin"]
    stdin = "444444\n" if signed else token + "\n" if name == "passes verify" else None
    result = CliRunner().invoke(cli, ["--db", str(db), *args], input=stdin,
                                catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    cells = [cell for text in _csv_texts(out, result.output)
             for row in csv.reader(io.StringIO(text)) for cell in row]
    assert cells, result.output
    live = [c for c in cells if c.startswith(FORMULA_START) and not _is_number(c)]
    assert live == [], f"{name}: cells a spreadsheet would run: {live[:5]}"
    if name in CARRY_TEXT:
        assert any(c[:2] in ("'=", "'+", "'-", "'@") for c in cells), f"{name}: {cells[:20]}"


LISTINGS = sorted(name for name, args in EXPORTS.items() if "--format" in args)


@pytest.mark.parametrize("fmt", ["table", "json"])
@pytest.mark.parametrize("name", LISTINGS)
def test_command_output_is_terminal_safe(tmp_path: Path, name: str, fmt: str) -> None:
    """Tables and JSON printed to a terminal carry no raw escape, bidi or C1 character."""
    db = tmp_path / "kiosk.db"
    token, family = _hostile_school(db)
    args = [str(tmp_path / "out") if a is None else
            fmt if a == "csv" else a.format(token=token, family=family)
            for a in EXPORTS[name]]
    signed = name in SIGNED
    if signed:
        args += ["--staff", "@Admin"]
    stdin = "444444\n" if signed else token + "\n" if name == "passes verify" else None
    result = CliRunner().invoke(cli, ["--db", str(db), *args], input=stdin,
                                catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    assert terminal_safe(result.output), (
        f"{name} --format {fmt}: {[c for c in result.output if not terminal_safe(c)][:5]}"
    )
    if fmt == "json" and name in ("pupils list", "staff list"):
        assert "\\u001b" in result.output, "the escape is kept, written as \\u001b"
