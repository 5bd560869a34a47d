"""Keys outside the database: made once 0600 beside it, read back, damage is a plain error."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kiosk.security.keys import KeysUnavailable, key_path, load_keys


def test_keys_are_made_once_private_and_read_back(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.db"
    made = load_keys(db, create=True)
    assert key_path(db) == tmp_path / "kiosk.db.keys"
    assert stat.S_IMODE(os.stat(key_path(db)).st_mode) == 0o600
    assert load_keys(db) == made == load_keys(db, create=True)
    assert made.pepper != made.audit


def test_the_pepper_and_the_signature_depend_on_the_key(tmp_path: Path) -> None:
    one = load_keys(tmp_path / "a.db", create=True)
    two = load_keys(tmp_path / "b.db", create=True)
    assert one.pepper_pin("482913") != two.pepper_pin("482913")
    assert one.pepper_pin("482913") != one.pepper_pin("482914")
    mac = one.sign("entry")
    assert one.signed("entry", mac)
    assert not one.signed("entry!", mac) and not two.signed("entry", mac)


def test_a_missing_key_file_is_not_silently_remade(tmp_path: Path) -> None:
    with pytest.raises(KeysUnavailable, match="missing"):
        load_keys(tmp_path / "kiosk.db")
    assert not key_path(tmp_path / "kiosk.db").exists()


@pytest.mark.parametrize("content", ["", "{", '{"pepper": "zz", "audit": "00"}',
                                     '{"pepper": "00", "audit": "00"}', "[]"])
def test_a_damaged_key_file_is_a_plain_error(tmp_path: Path, content: str) -> None:
    key_path(tmp_path / "kiosk.db").write_text(content)
    with pytest.raises(KeysUnavailable, match="damaged"):
        load_keys(tmp_path / "kiosk.db")
