"""Family passes: token format, issuing, printable cards, verification.

Public API (see docs/pass-format.md):

    issue_pass(store, family_id, *, now, valid_until=None, label=None) -> IssuedPass
    revoke_pass(store, ref, *, reason, now, actor, kiosk_id) -> dict
    reissue(store, family_id, *, now, valid_until=None, reason="reissued") -> list[IssuedPass]
    verify(text, store, today) -> PassCheck
    issue_to_families(store, family_ids, out_dir, *, now, ...) -> IssueRun   (writes files)
"""

from kiosk.passes.files import IssueRun, PassFiles, issue_to_families, reissue_to_family
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
    "revoke_pass",
    "verify",
]
