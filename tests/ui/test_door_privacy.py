"""Privacy at the door, checked over every demo family on the rendered screen.

For each family's pass the whole screen (large enough that nothing scrolls away) must
show no surname, no other family's child, and nothing about why a child may not be
filmed. Words that the screen shows anyway (labels, item titles) are left out of the
name lists so a surname like "High" does not clash with "Angels on High".
"""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from kiosk.checkin.doorview import child_name
from kiosk.demo.school import build_demo, demo_passes
from kiosk.security.keys import key_path
from kiosk.store import open_store
from support.door_helpers import Messages, make_app, screen_text, wait_shown

DAY = date(2026, 12, 10)
NOW = datetime.combine(DAY, time(17, 45), tzinfo=UTC)
WHY_WORDS = ("consent", "refus", "withdr", "disput", "not returned", "permission", "looked after",
             "adopt")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo school, built once for this module."""
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.db", today=DAY).path


def words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text))


@pytest.mark.slow
async def test_every_demo_family_sees_only_its_own_children(
    demo_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    shutil.copy(key_path(demo_file), key_path(path))
    shutil.copy(demo_file.with_name("demo-passes.json"), tmp_path / "demo-passes.json")
    store = open_store(path)
    pupils = store.families.pupils(on_roll_only=False)
    guardians = [g for f in store.families.all()
                 for g in store.families.guardians_of_family(f["id"])]
    titles = " ".join(item["title"] for item in store.events.items("nativity"))
    passes = {p.family_id: p.token for p in demo_passes(path)
              if p.kind in ("admitted", "restricted", "not_expected")}
    assert len(passes) == len(store.families.all())
    app, _ = make_app(store, NOW, kiosk_id="Door")
    messages = Messages()
    async with app.run_test(size=(120, 48), message_hook=messages) as pilot:
        await pilot.pause()
        shown_anyway = words(screen_text(app)) | words(titles)
        surnames = {p["surname"] for p in pupils} | {w for g in guardians
                                                      for w in words(g["name"])}
        surnames = {s for s in surnames if s not in shown_anyway}
        for number, (family_id, token) in enumerate(sorted(passes.items()), start=1):
            app.door.handle_scan(token, "camera")
            await wait_shown(pilot, messages, number)
            seen = words(screen_text(app))
            own = {child_name(p) for p in pupils if p["family_id"] == family_id}
            others = {child_name(p) for p in pupils if p["family_id"] != family_id}
            assert not seen & (surnames - own), (family_id, seen & (surnames - own))
            assert not seen & (others - own - shown_anyway), family_id
            lowered = screen_text(app).lower()
            assert not any(word in lowered for word in WHY_WORDS), family_id
    store.close()
