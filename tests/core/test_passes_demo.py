"""Round trip on the demo school: every family's pass verifies, every demo pass gives its code."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from kiosk.demo.school import build_demo, demo_passes
from kiosk.passes import issue_pass, issue_to_families, verify
from kiosk.scanner.decode import ZxingDecoder
from kiosk.store import Store, open_store
from support.pdf_pages import pdf_text, render_pages

TODAY = date(2026, 12, 10)
NOW = datetime.combine(TODAY, time(9, 0), tzinfo=UTC)
EXPECTED = {"admitted": "ok", "restricted": "ok", "not_expected": "ok", "revoked": "revoked",
            "expired": "expired", "not_yet_valid": "not_yet_valid"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path]]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, today=TODAY)
    store = open_store(path)
    yield store, path
    store.close()


def test_every_demo_pass_gives_its_code(demo: tuple[Store, Path]) -> None:
    store, path = demo
    passes = demo_passes(path)
    assert {p.kind for p in passes} >= set(EXPECTED)
    for demo_pass in passes:
        check = verify(demo_pass.token, store, TODAY)
        assert check.code == EXPECTED[demo_pass.kind], demo_pass.kind
        assert (check.family_id, check.ref) == (demo_pass.family_id, demo_pass.ref)


def test_round_trip_for_every_demo_family(demo: tuple[Store, Path]) -> None:
    store, _ = demo
    families = store.passes.families_with_pupils_on_roll()
    assert len(families) > 200
    for family in families:
        issued = issue_pass(store, family["id"], now=NOW)
        check = verify(issued.token, store, TODAY)
        assert check.ok and check.family_id == family["id"] and check.ref == issued.ref


def test_demo_cards_print_readable_with_no_child_names(
    demo: tuple[Store, Path], tmp_path: Path
) -> None:
    """Only a household whose family name another household shares gets first names."""
    store, _ = demo
    families = [f for f in store.passes.families_with_pupils_on_roll()
                if store.families.count_named(f["display_name"]) == 1]
    sample = [families[0]["id"], families[-1]["id"]]
    run = issue_to_families(store, sample, tmp_path, now=NOW)
    first_names = {row["first_name"] for fid in sample
                   for row in store.families.pupils_of_family(fid)}
    for listed in run.passes:
        (page,) = render_pages(listed.pdf, 150)
        (code,) = ZxingDecoder().decode(page)
        assert verify(code.text, store, TODAY).family_id == listed.family_id
        text = pdf_text(listed.pdf)
        assert listed.family_name in text and "Willowmere" in text
        assert not any(name in text.split() for name in first_names)
