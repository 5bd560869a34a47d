"""Property tests: no input (CSV text or .xlsx bytes) crashes the roster importer, which
raises only RosterError; and no import makes filmable a pupil with no granting answer."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.events import filmable
from kiosk.roster import RosterError, import_roster, read_roster
from kiosk.store import Store, open_store

NOW = datetime(2026, 12, 10, 17, 45, tzinfo=UTC)
REQUIRED = ["Adno", "Forename", "Legal Surname", "Reg Group", "Photo Consent"]
EXTRA = [
    "Consent Expiry", "Year Group", "Contact 1 Email", "Contact 1 Forename", "Contact 1 Mobile",
    "Contact 2 Email", "Family ID", "pupil_id", "class", "UPN", "Press Consent", "",
]
GOOD = ["Yes", "No", "", "3B", "RW", "Ann", "O'Brien", "Zoë", "a@example.org", "A@EXAMPLE.ORG",
        "07700 900123", "+44 7700 900123", "31/08/2027", "2020-01-01", "R", "=cmd()", " x  y "]
CELLS = st.one_of(
    st.sampled_from([*GOOD, "2027-02-30", '"', "\r\n", ";", "\t", "x,y"]),
    st.text(max_size=12),
)


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(Path(tmp_path_factory.mktemp("fuzz")) / "kiosk.db")
    yield store
    store.close()


@st.composite
def csv_like(draw: st.DrawFn) -> bytes:
    """Text shaped like a roster: known headers, random cells, random delimiter/encoding.

    Half the time the cells come from plausible values with distinct ids, so imports
    succeed and exercise family grouping, consent changes and re-imports.
    """
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    extra = draw(st.lists(st.sampled_from(EXTRA), max_size=5))
    headers = ["Adno", *draw(st.permutations([*REQUIRED[1:], *extra]))]
    plausible = draw(st.booleans())
    cell = st.sampled_from(GOOD[:2] + GOOD[3:]) if plausible else CELLS
    ids = draw(st.lists(st.sampled_from(["1", "2", "3", "4", "5"]), unique=plausible, max_size=5))
    rows = [[pid, *draw(st.lists(cell, min_size=len(headers) - 1, max_size=len(headers) - 1))]
            for pid in ids]
    text = "\n".join(delimiter.join(r) for r in [headers, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding, errors="replace")


def _import(store: Store, data: bytes, dry_run: bool) -> None:
    try:
        import_roster(store, data, now=NOW, dry_run=dry_run)
    except RosterError as error:
        assert str(error).strip()


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_the_reader(data: bytes) -> None:
    try:
        read_roster(data)
    except RosterError as error:
        assert str(error).strip()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.lists(st.text(max_size=20), max_size=3))
def test_arbitrary_text_and_map_items_never_crash_the_reader(text: str, items: list[str]) -> None:
    try:
        read_roster(text.encode("utf-8", errors="surrogatepass"), items)
    except RosterError as error:
        assert str(error).strip()


@settings(max_examples=150, deadline=None)
@given(csv_like(), st.booleans())
def test_roster_shaped_input_never_crashes_an_import(
    fuzz_store: Store, data: bytes, dry_run: bool
) -> None:
    _import(fuzz_store, data, dry_run)


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX_CELLS = st.one_of(st.none(), st.integers(-10, 10**7), st.floats(allow_nan=False),
                       st.booleans(), st.sampled_from(GOOD),
                       st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=10))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(XLSX_CELLS, max_size=6), max_size=5), st.booleans(),
       st.binary(max_size=40), st.integers(0, 2000))
def test_workbook_bytes_never_crash_the_reader(
    rows: list[list[object]], roster_header: bool, junk: bytes, cut: int
) -> None:
    data = _xlsx([REQUIRED, *rows] if roster_header else rows)
    for variant in (data, data[:cut] + junk + data[cut + len(junk):], data[:cut]):
        try:
            read_roster(variant)
        except RosterError as error:
            assert str(error).strip()


GRANTING = {"yes", "y", "granted", "given", "true", "t", "1", "opted in", "confirmed",
            "photograph student", "consent given", "agreed"}
NOT_GRANTING = ["No", "N", "Not Granted", "Not Given", "Opted Out", "Declined", "Pending",
                "Requested", "Not Requested", "", "F", "0", "Refused", "School Trips"]


@st.composite
def consent_rows(draw: st.DrawFn) -> tuple[bytes, dict[str, set[str]]]:
    """A SIMS-or-contact-shaped file: several rows per pupil, any consent words."""
    as_list = draw(st.booleans())
    header = ["Adno", "Forename", "Surname", "Reg Group",
              "Parental Consent" if as_list else "Photo Consent", "Contact Email"]
    words = st.sampled_from([*NOT_GRANTING, "Yes", "Granted", "Photograph Student"])
    cells: dict[str, set[str]] = {}
    rows = [header]
    for pid in draw(st.lists(st.sampled_from(["01", "2", "3", "004"]), unique=True,
                             min_size=1)):
        answer = draw(words)
        for _ in range(draw(st.integers(1, 3))):
            ticked = draw(words) if as_list else answer
            cells.setdefault(pid, set()).add(ticked)
            email = draw(st.sampled_from(["a@example.org", "b@example.org", ""]))
            rows.append([pid, "Zoë", "O'Hara", "3B", ticked, email])
    return "\n".join(",".join(r) for r in rows).encode(), cells


@settings(max_examples=120, deadline=None)
@given(consent_rows(), st.lists(st.sampled_from(NOT_GRANTING[:5]), max_size=2))
def test_no_import_makes_filmable_a_pupil_whose_rows_carry_no_granting_value(
    fuzz_store: Store, generated: tuple[bytes, dict[str, set[str]]], refused_words: list[str]
) -> None:
    data, cells = generated
    values = [f"{w}=refused" for w in refused_words if w]
    try:
        import_roster(fuzz_store, data, now=NOW, values=values, confirm_leavers=True)
    except RosterError:
        return
    allowed = filmable(fuzz_store, list(cells), NOW.date())
    for pid, seen in cells.items():
        if allowed[pid]:
            assert {w.casefold() for w in seen} & GRANTING, (pid, seen)
