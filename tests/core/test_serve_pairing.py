"""Hub pairing: one-time door links, signed cookies bound to a live pairing, 0600 files."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.errors import NotFound
from kiosk.serve.pairing import BOARD, KEY_FILE, PairingError, PairingStore, hub_folder


@pytest.fixture
def pairings(tmp_path: Path) -> PairingStore:
    return PairingStore(hub_folder(tmp_path / "school.db"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_door_link_pairs_one_browser_once(pairings: PairingStore) -> None:
    door = pairings.ensure("North door")
    code = pairings.new_code(door)
    paired, cookie = pairings.pair(code)
    assert paired.name == "North door"
    assert pairings.door_for(cookie) == paired
    with pytest.raises(PairingError, match="used already"):
        pairings.pair(code)  # the same link again pairs nothing


def test_the_key_and_pairings_are_private_and_beside_the_database(tmp_path: Path) -> None:
    folder = hub_folder(tmp_path / "school.db")
    pairings = PairingStore(folder)
    pairings.pair(pairings.new_code(pairings.ensure("North door")))
    assert folder.parent == tmp_path
    assert mode(folder) == 0o700
    assert mode(folder / KEY_FILE) == 0o600
    assert mode(pairings.path) == 0o600
    assert len((folder / KEY_FILE).read_bytes()) == 32
    assert b"North door" not in (folder / KEY_FILE).read_bytes()


def test_pairings_survive_a_restart_and_unpairing_ends_them(tmp_path: Path) -> None:
    folder = hub_folder(tmp_path / "school.db")
    first = PairingStore(folder)
    _, cookie = first.pair(first.new_code(first.ensure("North door")))
    again = PairingStore(folder)  # a restarted hub
    assert again.door_for(cookie) is not None
    assert again.unpair("north door") == 1
    assert first.door_for(cookie) is None  # the running hub rereads the file: replay refused


def test_forged_cookies_get_no_door(pairings: PairingStore) -> None:
    door = pairings.ensure("North door")
    _, cookie = pairings.pair(pairings.new_code(door))
    door_id, pairing_id, mac = cookie.split(".")
    other = pairings.ensure("South door")
    forged = [
        f"{other.id}.{pairing_id}.{mac}",  # moved to another door
        f"{door_id}.{pairing_id}.{'0' * len(mac)}",
        f"{door_id}.{pairing_id}",
        cookie + "x",
        "",
        "x" * 10_000,
    ]
    for value in forged:
        assert pairings.door_for(value) is None
    signed_elsewhere = PairingStore(hub_folder(pairings.folder.parent / "other.db"))
    assert signed_elsewhere.door_for(cookie) is None


@given(st.text(max_size=300))
def test_any_cookie_text_is_refused_without_error(value: str) -> None:
    store = _shared()
    assert store.door_for(value) is None


_STORE: list[PairingStore] = []


def _shared() -> PairingStore:
    if not _STORE:
        import tempfile

        _STORE.append(PairingStore(hub_folder(Path(tempfile.mkdtemp()) / "fuzz.db")))
    return _STORE[0]


def test_rename_keeps_pairings_and_names_are_checked(pairings: PairingStore) -> None:
    door = pairings.ensure("North door")
    _, cookie = pairings.pair(pairings.new_code(door))
    pairings.ensure("South door")
    assert pairings.rename("North door", "  Hall\tNorth ").name == "Hall North"
    assert pairings.door_for(cookie).name == "Hall North"  # type: ignore[union-attr]
    with pytest.raises(PairingError, match="already a door"):
        pairings.rename("Hall North", "south door")
    with pytest.raises(PairingError, match="at most"):
        pairings.ensure("x" * 41)
    with pytest.raises(PairingError, match="needs a name"):
        pairings.ensure("\x00\x1b ")
    with pytest.raises(NotFound):
        pairings.unpair("West door")
    board = pairings.ensure("Board", BOARD)
    assert [d.name for d in pairings.doors()] == ["Hall North", "South door", board.name]
    with pytest.raises(PairingError, match="board"):
        pairings.ensure("Board")


def test_a_damaged_door_list_is_one_plain_sentence(tmp_path: Path) -> None:
    folder = hub_folder(tmp_path / "school.db")
    (folder / "doors.json").write_text("{not json")
    with pytest.raises(PairingError, match="damaged"):
        PairingStore(folder)
