"""Audit actors and subjects: typed values whose stored text is exactly the old format."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.audit.terms import CLI, UNKNOWN, Actor, Subject


def test_actor_text_is_the_stored_format() -> None:
    assert Actor.staff(3).text == "staff:3"
    assert Actor.parse("staff:3") == Actor.staff(3)
    assert Actor.parse("staff:3").staff_id == 3
    assert Actor.parse("cli") is CLI and CLI.staff_id is None
    assert Actor.parse("unknown") is UNKNOWN
    assert Actor.system("scanner").kind == "system"
    assert Actor.system("cli") is CLI
    assert Actor.parse("staff:x").staff_id is None  # not a staff id: a named tool


def test_subject_text_is_the_stored_format() -> None:
    assert Subject.checkin(7).text == "checkin:7"
    assert Subject.violation(2).text == "violation:2"
    assert Subject.of("family", "F1").text == "family:F1"
    assert Subject.of("database").text == "database"
    assert Subject.parse("checkin:12") == Subject.checkin(12)
    assert Subject.parse("checkin:12").number == 12
    assert Subject.parse("family:F1").number is None
    assert Subject.parse(None) is None
    assert Subject.prefix("checkin") == "checkin:"


@given(st.text())
def test_any_stored_actor_text_round_trips(text: str) -> None:
    assert Actor.parse(text).text == text


@given(st.text())
def test_any_stored_subject_text_round_trips(text: str) -> None:
    parsed = Subject.parse(text)
    assert parsed is not None and parsed.text == text
