"""Hostile scanned text: a fixed corpus and property tests against check_in and verify.

Whatever is scanned, nothing crashes, the answer is a refusal code with a plain message
(or, for a real pass with harmless noise, that pass's own family), and exactly one
check-in row plus one audit entry is written: nothing else, nothing half-written, and
nothing of the scanned text echoed into the database.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.checkin.service import Decision, check_in
from kiosk.passes.verification import verify
from kiosk.store import Store, open_store

from .checks import read
from .hostile import FRAGMENTS, REFUSALS, Scan, grown, is_plain, load_scans, table_counts
from .school import DOORS_OPEN, EVENT_DAY, School

SCANS = load_scans()
NONCES = itertools.count()
PROPERTY = settings(
    derandomize=True, deadline=None, database=None, max_examples=200,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

FRAGMENT = st.sampled_from(FRAGMENTS)
ANY_CHAR = st.characters(exclude_categories=())  # surrogates and unassigned included


@st.composite
def hostile_text(draw: st.DrawFn) -> str:
    """Fragments scanners and stickers produce, random characters, sometimes 100 KB long."""
    parts = draw(st.lists(st.one_of(FRAGMENT, st.text(ANY_CHAR, max_size=6)), max_size=8))
    text = "".join(parts)
    if text and draw(st.integers(0, 9)) == 0:
        text *= 100_000 // len(text) + 1
    return text


@st.composite
def hostile_bytes(draw: st.DrawFn) -> bytes:
    """Raw scanner bytes: anything, or our prefix followed by anything."""
    body = draw(st.binary(max_size=48))
    return draw(st.sampled_from([b"", b"KP1:", b"\xef\xbb\xbfKP1:"])) + body


def _record(store: Store, school: School, payload: str | bytes) -> tuple[Decision, dict[str, int]]:
    """Check in `payload`; return the decision and which tables grew by how much."""
    before = table_counts(school.db_path)
    number = next(NONCES)
    decision = check_in(store, payload, school.event,  # type: ignore[arg-type]  # bytes too
                        now=DOORS_OPEN + timedelta(seconds=number), kiosk_id="door-a",
                        nonce=f"hostile-{number}")
    return decision, grown(before, table_counts(school.db_path))


def _assert_refused_once(decision: Decision, growth: dict[str, int]) -> None:
    """A refusal: red, plain, one check-in row and one audit entry, nothing else."""
    assert decision.code in REFUSALS
    assert decision.result == "refused" and decision.colour == "red"
    assert is_plain(decision.message), decision.message
    assert growth == {"checkins": 1, "audit_log": 1}


@pytest.mark.parametrize("scan", SCANS, ids=[s.name for s in SCANS])
def test_corpus_scan_is_refused_plainly_and_recorded_once(
    school: School, school_store: Store, scan: Scan
) -> None:
    check = verify(scan.payload, school_store, EVENT_DAY)
    assert (check.code, check.ok, check.family_id) == (scan.expect, False, None)
    assert is_plain(check.message)
    decision, growth = _record(school_store, school, scan.payload)
    assert decision.code == scan.expect
    _assert_refused_once(decision, growth)
    row = read(school.db_path, "SELECT * FROM checkins ORDER BY id DESC LIMIT 1")[0]
    entry = read(school.db_path, "SELECT * FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    assert (row["code"], row["family_id"], row["reason"]) == (scan.expect, None, None)
    assert entry["subject"] == f"checkin:{row['id']}"
    if isinstance(scan.payload, str) and len(scan.payload.strip()) >= 6:
        stored = json.dumps([dict(row), dict(entry)], ensure_ascii=False)
        assert scan.payload[:40] not in stored, "the scanned text was echoed into the database"


def test_corpus_covers_every_hostile_kind() -> None:
    names = " ".join(s.name for s in SCANS).lower()
    for kind in ("nul", "ansi", "bidi", "right-to-left", "100 kb", "invalid utf-8",
                 "prefix", "surrogate", "markup"):
        assert kind in names, kind
    assert any(isinstance(s.payload, bytes) for s in SCANS)
    assert max(len(s.payload) for s in SCANS) >= 100_000


@PROPERTY
@given(text=hostile_text())
def test_any_hostile_text_is_refused_plainly_and_recorded_once(
    school: School, school_store: Store, text: str
) -> None:
    assert not verify(text, school_store, EVENT_DAY).ok
    decision, growth = _record(school_store, school, text)
    _assert_refused_once(decision, growth)


@PROPERTY
@given(data=hostile_bytes())
def test_any_scanner_bytes_are_refused_plainly_and_recorded_once(
    school: School, school_store: Store, data: bytes
) -> None:
    assert not verify(data, school_store, EVENT_DAY).ok
    decision, growth = _record(school_store, school, data)
    _assert_refused_once(decision, growth)


@st.composite
def mangled_pass(draw: st.DrawFn, tokens: list[str]) -> tuple[int, str]:
    """A real pass with up to three edits: insert a fragment, delete, replace, change case."""
    index = draw(st.integers(0, len(tokens) - 1))
    text = tokens[index]
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "replace", "lower"]))
        if edit == "insert":
            text = text[:at] + draw(FRAGMENT) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + 1 :]
        elif edit == "replace":
            text = text[:at] + draw(ANY_CHAR) + text[at + 1 :]
        else:
            text = text.lower()
    return index, text


def test_mangled_passes_never_admit_another_family(school_template: School, tmp_path: Path) -> None:
    """Noise around a real pass may still read as that pass; it never reads as another."""
    school = school_template.copy_to(tmp_path / "mangled")
    tokens = school.tokens("valid")
    store = open_store(school.db_path)
    seen: Counter[str] = Counter()

    @PROPERTY
    @given(mangled=mangled_pass(tokens))
    def check(mangled: tuple[int, str]) -> None:
        index, text = mangled
        decision, growth = _record(store, school, text)
        family = school.family_of(tokens[index])
        assert is_plain(decision.message)
        if decision.code in REFUSALS:
            assert decision.family_id in (None, family)
        else:
            assert decision.family_id == family
        seen[decision.code] += 1
        personal = {"audit_personal": 1} if decision.family_id else {}
        assert growth == {"checkins": 1, "audit_log": 1, **personal}

    try:
        check()
    finally:
        store.close()
    assert seen["malformed"] and seen["admitted"] + seen["admitted_restricted"] + seen["re_entry"]
