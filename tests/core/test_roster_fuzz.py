"""Property tests: no input crashes the roster importer; it raises only RosterError."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
