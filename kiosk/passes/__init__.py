"""Family passes: token format, issuing, printable cards, verification.

Public API (see docs/pass-format.md):

    issue_pass(store, family_id, *, now, valid_until=None, label=None) -> IssuedPass
    revoke_pass(store, ref, *, reason, now, actor, kiosk_id) -> dict
    reissue(store, family_id, *, now, valid_until=None, reason="reissued") -> list[IssuedPass]
    verify(text, store, today) -> PassCheck
    issue_to_families(store, family_ids, out_dir, *, now, ...) -> IssueRun   (writes files)

The file-writing names (fpdf, qrcode, Pillow: about 0.4 s to import) load on first use,
so a door kiosk that only verifies starts fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kiosk.passes.issuing import (
    IssuedPass,
    PassError,
    default_valid_until,
    issue_pass,
    reissue,
    revoke_pass,
)
from kiosk.passes.token import TokenFormatError, looks_like_ours, new_token, parse_token
from kiosk.passes.verification import MESSAGES, CheckCode, PassCheck, pass_state, verify

if TYPE_CHECKING:
    from kiosk.passes.files import (
        IssueRun,
        PassFiles,
        issue_to_families,
        reissue_to_family,
        remove_revoked_files,
    )

_LAZY = {"IssueRun", "PassFiles", "issue_to_families", "reissue_to_family",
         "remove_revoked_files"}


def __getattr__(name: str) -> Any:
    """Load the file-writing part of the package when one of its names is first used."""
    if name in _LAZY:
        return getattr(importlib.import_module("kiosk.passes.files"), name)
    raise AttributeError(f"module 'kiosk.passes' has no attribute {name!r}")

__all__ = [
    "MESSAGES",
    "CheckCode",
    "IssueRun",
    "IssuedPass",
    "PassCheck",
    "PassError",
    "PassFiles",
    "TokenFormatError",
    "default_valid_until",
    "issue_pass",
    "issue_to_families",
    "looks_like_ours",
    "new_token",
    "parse_token",
    "pass_state",
    "reissue",
    "reissue_to_family",
    "remove_revoked_files",
    "revoke_pass",
    "verify",
]
