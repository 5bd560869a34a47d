"""End to end on the demo school: an evening with violations, then exports, purge, erasure."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import FIXED_NOW

from kiosk.audit import verify as audit
from kiosk.checkin.service import check_in
from kiosk.demo.school import build_demo, demo_passes
from kiosk.privacy.backup import backup, restore
from kiosk.privacy.erasure import erase_family
from kiosk.privacy.retention import purge
from kiosk.privacy.subject_access import WITHHELD, export_family, family_export
from kiosk.security.keys import key_path
from kiosk.store import Store, open_store
from kiosk.violations.workflow import close, log_violation

pytestmark = pytest.mark.slow  # builds the whole demo school once (a few seconds)

@dataclass
class Evening:
    """The demo school after the nativity: who was involved in which violation."""

    path: Path
    culprit: str
    victims: list[str]
    by_pass: str
    closed: int
    still_open: int
    store: Store | None = None


def _family_words(store: Store, family_id: str) -> list[str]:
    """What identifies a family in text: ids, full names of its pupils and guardians."""
    words = [family_id]
    for pupil in store.privacy.family_pupils_all(family_id):
        words.append(pupil["id"])
        for first in {pupil["first_name"], pupil["preferred_name"]} - {None}:
            words.append(f"{first} {pupil['surname']}")
    words += [g["name"] for g in store.families.guardians_of_family(family_id)]
    return words


def _contains(text: str, word: str) -> bool:
    """`word` in `text` as a whole word, any case (a cheap substring test first)."""
    if word.lower() not in text.lower():
        return False
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None


@pytest.fixture(scope="module")
def demo_evening(tmp_path_factory: pytest.TempPathFactory) -> Evening:
    """The demo school with every demo pass checked in and two violations (built once)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, today=FIXED_NOW.date())
    store = open_store(path)
    at = FIXED_NOW - timedelta(hours=2)
    for n, demo_pass in enumerate(demo_passes(path)):
        check_in(store, demo_pass.token, "nativity", now=at + timedelta(seconds=n),
                 kiosk_id="door-1", nonce=f"demo-{n}", party_size=2)
    lead = store.staff.by_name("Lee Lead")["id"]
    head = store.staff.by_name("Helen Head")["id"]
    families = [f["id"] for f in store.families.all() if store.families.pupils_of_family(f["id"])]
    culprit, victim_a, victim_b, by_pass = families[10], families[20], families[30], families[40]
    victim_pupils = [store.families.pupils_of_family(f)[0] for f in (victim_a, victim_b)]
    named = f"{victim_pupils[0]['first_name']} {victim_pupils[0]['surname']}"
    closed = log_violation(
        store, event_id="nativity", kind="filmed_child_without_permission", reported_by=lead,
        now=at, kiosk_id="door-1", family_id=culprit,
        children=[p["id"] for p in victim_pupils],
        description=f"Filmed {named} during the Three Kings.", action_taken="asked_to_stop",
    )
    close(store, closed, "Parent deleted the clip; letter sent.", staff_id=head,
          now=at + timedelta(minutes=30), kiosk_id="office")
    pass_id = store.privacy.family_passes(by_pass)[0]["id"]
    still_open = log_violation(
        store, event_id="nativity", kind="filmed_staff", reported_by=lead, now=at,
        kiosk_id="door-1", pass_id=pass_id, description="Filmed the teacher at the piano.",
    )
    store.close()
    return Evening(path, culprit, [victim_a, victim_b], by_pass, closed, still_open)


@pytest.fixture
def evening(demo_evening: Evening, tmp_path: Path) -> Iterator[Evening]:
    """A private, open copy of the demo evening."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_evening.path, path)
    shutil.copyfile(key_path(demo_evening.path), key_path(path))
    copy = replace(demo_evening, path=path, store=open_store(path))
    yield copy
    copy.store.close()


def test_every_export_holds_nothing_about_any_other_family(
    evening: Evening, tmp_path: Path,
) -> None:
    store = evening.store
    families = [f["id"] for f in store.families.all()]
    words = {f: _family_words(store, f) for f in families}
    involved = [evening.culprit, *evening.victims, evening.by_pass]
    for family_id in [*involved, *families[:12]]:
        paths = export_family(store, family_id, tmp_path / family_id, now=FIXED_NOW,
                              pdf=family_id == evening.culprit)
        text = "\n".join(p.read_text("utf-8") for p in paths if p.suffix != ".pdf")
        lowered, own = text.lower(), set(words[family_id])
        for other in families:
            if other == family_id:
                continue
            leaked = [w for w in words[other] if w not in own and w.lower() in lowered
                      and _contains(text, w)]
            assert not leaked, (family_id, other, leaked)
    assert audit.verify(store).ok


def test_the_violation_reads_right_from_each_side(evening: Evening) -> None:
    store = evening.store
    culprit = family_export(store, evening.culprit, now=FIXED_NOW)["violations"]
    assert [v["id"] for v in culprit] == [evening.closed]
    assert culprit[0]["other_children"] == 2 and culprit[0]["your_children"] == []
    assert WITHHELD in culprit[0]["description"]
    victim = family_export(store, evening.victims[0], now=FIXED_NOW)["violations"]
    assert victim[0]["concerns_you_because"] == ["your child was involved"]
    assert victim[0]["other_children"] == 1 and len(victim[0]["your_children"]) == 1
    assert WITHHELD not in victim[0]["description"]
    by_pass = family_export(store, evening.by_pass, now=FIXED_NOW)["violations"]
    assert [v["concerns_you_because"] for v in by_pass] == [
        ["your family was named", "your pass was scanned"]]
    assert by_pass[0]["pass_ref"] == store.privacy.family_passes(evening.by_pass)[0]["ref"]


def test_purge_a_month_on_keeps_only_the_open_violation(evening: Evening) -> None:
    store = evening.store
    assert store.query_one("SELECT COUNT(*) AS n FROM checkins")["n"] > 0
    plan = purge(store, now=FIXED_NOW + timedelta(days=31))
    assert store.query_one("SELECT COUNT(*) AS n FROM checkins")["n"] == 0
    assert plan.violations == []
    years_on = datetime(2033, 1, 1, tzinfo=FIXED_NOW.tzinfo)
    assert [r["id"] for r in purge(store, now=years_on).violations] == [evening.closed]
    assert [r["id"] for r in store.query("SELECT id FROM violations")] == [evening.still_open]
    assert audit.verify(store).ok


def test_erasure_backup_and_restore_on_the_demo_school(
    evening: Evening, tmp_path: Path,
) -> None:
    store = evening.store
    victim = evening.victims[0]
    words = _family_words(store, victim)
    saved = backup(store, tmp_path / "before.db", now=FIXED_NOW)
    result = erase_family(store, victim, now=FIXED_NOW)
    assert result.kept_violations == [evening.closed]
    # The name survives only in the text staff wrote in the kept (closed) violation.
    leftover = [line for line in store.conn.iterdump()
                if any(_contains(line, w) for w in words[1:])]
    assert leftover and all(line.startswith(('INSERT INTO "violations"',
                                             'INSERT INTO "audit_personal"'))
                            for line in leftover), leftover
    assert store.query("SELECT id FROM violations WHERE description LIKE '%Three Kings%'") == [
        {"id": evening.closed}]
    assert store.query("SELECT * FROM violation_children WHERE pupil_id IN"
                       " (SELECT id FROM pupils WHERE family_id = ?)", (victim,)) == []
    with pytest.raises(Exception, match="not closed"):
        erase_family(store, evening.by_pass, now=FIXED_NOW)
    families_after = len(store.families.all())
    store.close()
    done = restore(saved.path, evening.path, now=FIXED_NOW)
    assert done.families_back == [victim]
    evening.store = open_store(evening.path)
    assert len(evening.store.families.all()) == families_after + 1
    assert audit.verify(evening.store).ok
