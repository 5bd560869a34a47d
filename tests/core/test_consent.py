"""The fail-safe consent rules: every state, and a property that nothing slips through."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.consent import (
    ConsentRecord,
    ItemSpec,
    ItemStatus,
    State,
    consent_state,
    derive_item,
    derive_items,
    may_film,
)

EVENT_DAY = date(2026, 12, 10)
G = ConsentRecord("granted")


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([], State.MISSING),
        ([G], State.GRANTED),
        ([ConsentRecord("refused")], State.REFUSED),
        ([ConsentRecord("not_returned")], State.NOT_RETURNED),
        ([ConsentRecord("maybe")], State.NOT_RETURNED),
        ([ConsentRecord("granted", valid_until=EVENT_DAY)], State.GRANTED),
        ([ConsentRecord("granted", valid_until=EVENT_DAY - timedelta(days=1))], State.EXPIRED),
        ([ConsentRecord("granted", withdrawn=True)], State.WITHDRAWN),
        ([ConsentRecord("granted", "Mum"), ConsentRecord("refused", "Dad")], State.DISPUTED),
        ([ConsentRecord("granted", "Mum"), ConsentRecord("granted", "Dad")], State.GRANTED),
        ([ConsentRecord("granted", "Mum"), ConsentRecord("not_returned", "Dad")],
         State.NOT_RETURNED),
        ([ConsentRecord("refused", "Mum"), ConsentRecord("refused", "Dad")], State.REFUSED),
        ([ConsentRecord("granted", "Mum"),
          ConsentRecord("granted", "Dad", valid_until=date(2020, 1, 1))], State.EXPIRED),
    ],
)
def test_consent_state(records: list[ConsentRecord], expected: State) -> None:
    assert consent_state(records, EVENT_DAY) is expected
    assert may_film(records, EVENT_DAY) is (expected is State.GRANTED)


def test_withdrawal_wins_over_grants_from_everyone() -> None:
    records = [ConsentRecord("granted", "Mum"), ConsentRecord("granted", "Dad", withdrawn=True)]
    assert not may_film(records, EVENT_DAY)


def test_item_allowed_only_when_every_performer_may_be_filmed() -> None:
    by_class = {"1B": ["a", "b"], "1W": ["c"]}
    item = ItemSpec(1, "Song", classes=("1B",), pupils=("c",))
    allowed = derive_item(item, by_class, {"a": True, "b": True, "c": True})
    assert allowed.status is ItemStatus.ALLOWED
    assert allowed.performer_count == 3 and allowed.not_filmable_count == 0

    blocked = derive_item(item, by_class, {"a": True, "b": False, "c": True})
    assert blocked.status is ItemStatus.NO_FILMING
    assert blocked.not_filmable == frozenset({"b"})


def test_pupil_without_an_answer_blocks_the_item() -> None:
    result = derive_item(ItemSpec(1, "Solo", pupils=("x",)), {}, {})
    assert result.status is ItemStatus.NO_FILMING and result.not_filmable_count == 1


def test_staff_may_make_an_item_stricter_never_looser() -> None:
    everyone = {"a": True}
    stricter = derive_item(ItemSpec(1, "Dance", pupils=("a",), staff_no_filming=True), {}, everyone)
    assert stricter.status is ItemStatus.NO_FILMING and stricter.staff_marked
    looser = derive_item(ItemSpec(2, "Dance", pupils=("a",), staff_no_filming=False), {}, {})
    assert looser.status is ItemStatus.NO_FILMING


def test_an_item_with_nobody_on_stage_is_no_filming() -> None:
    result = derive_item(ItemSpec(1, "Welcome by the Headteacher"), {}, {})
    assert result.status is ItemStatus.NO_FILMING and result.performer_count == 0


def test_empty_class_contributes_no_performers() -> None:
    result = derive_item(ItemSpec(1, "Song", classes=("ghost",), pupils=("a",)), {}, {"a": True})
    assert result.status is ItemStatus.ALLOWED and result.performer_count == 1


values = st.sampled_from(["granted", "refused", "not_returned", "", "yes", "GRANTED"])
records = st.builds(
    ConsentRecord,
    value=values,
    given_by=st.sampled_from(["school record", "Mum", "Dad"]),
    valid_until=st.none() | st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    withdrawn=st.booleans(),
)
pupil_ids = st.text("abcdefgh", min_size=1, max_size=2)


@given(
    st.dictionaries(pupil_ids, st.lists(records, max_size=3), max_size=12),
    st.lists(pupil_ids, max_size=8),
    st.dictionaries(st.sampled_from(["1B", "1W", "2B"]), st.lists(pupil_ids, max_size=5)),
    st.lists(st.sampled_from(["1B", "1W", "2B", "9Z"]), max_size=3),
    st.booleans(),
    st.dates(date(2019, 1, 1), date(2031, 1, 1)),
)
def test_no_input_makes_an_item_with_a_non_consenting_performer_allowed(
    answers, named, by_class, classes, staff_marked, on
) -> None:
    item = ItemSpec(1, "Item", classes=tuple(classes), pupils=tuple(named),
                    staff_no_filming=staff_marked)
    permissions = {pid: may_film(recs, on) for pid, recs in answers.items()}
    (result,) = derive_items([item], by_class, permissions)
    performers = set(named) | {p for c in classes for p in by_class.get(c, [])}
    anyone_blocked = any(
        consent_state(answers.get(p, []), on) is not State.GRANTED for p in performers
    )
    if anyone_blocked or staff_marked or not performers:
        assert result.status is ItemStatus.NO_FILMING
    else:
        assert result.status is ItemStatus.ALLOWED
    assert result.not_filmable == {p for p in performers if not permissions.get(p, False)}
