"""Private files: 0600 in 0700 folders, never written through a planted symlink."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kiosk.errors import KioskError
from kiosk.security.files import (
    UnsafePath,
    make_private,
    private_folder,
    private_umask,
    write_private,
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_written_file_and_new_folders_are_private(tmp_path: Path) -> None:
    target = tmp_path / "out" / "passes" / "card.pdf"
    write_private(target, b"%PDF-1.7 token")
    assert target.read_bytes() == b"%PDF-1.7 token"
    assert _mode(target) == 0o600
    assert _mode(tmp_path / "out") == 0o700 and _mode(tmp_path / "out" / "passes") == 0o700
    assert sorted(p.name for p in target.parent.iterdir()) == ["card.pdf"]


def test_a_planted_symlink_is_replaced_not_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "export.json"
    link.symlink_to(victim)
    write_private(link, "children's data")
    assert victim.read_text() == "keep me"
    assert not link.is_symlink() and link.read_text() == "children's data"


def test_a_symlinked_folder_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere"
    real.mkdir()
    (tmp_path / "reports").symlink_to(real, target_is_directory=True)
    with pytest.raises(UnsafePath, match="symbolic link"):
        write_private(tmp_path / "reports" / "r.pdf", b"x")
    assert list(real.iterdir()) == []


def test_a_file_where_the_folder_should_be_is_a_plain_error(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(UnsafePath, match="not a folder"):
        private_folder(tmp_path / "out")


def test_a_write_that_fails_leaves_no_temporary_file(tmp_path: Path) -> None:
    folder = private_folder(tmp_path / "out")
    (folder / "card.pdf").mkdir()  # the rename onto it fails, as on a full or broken disk
    (folder / "card.pdf" / "inside").write_text("x")
    with pytest.raises(KioskError, match="could not be written"):
        write_private(folder / "card.pdf", b"x")
    assert sorted(p.name for p in folder.iterdir()) == ["card.pdf"]


def test_make_private_and_the_umask(tmp_path: Path) -> None:
    made = tmp_path / "lib-wrote.pdf"
    made.write_bytes(b"x")
    made.chmod(0o644)
    make_private(made)
    assert _mode(made) == 0o600
    old = private_umask()
    try:
        (tmp_path / "after.db").write_bytes(b"")
        assert _mode(tmp_path / "after.db") == 0o600
    finally:
        os.umask(old)
