"""Pass token format and verify(): every changed or foreign code gets its own answer, no crash."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.checkin.service import _message
from kiosk.passes import MESSAGES, IssuedPass, issue_pass, verify
from kiosk.passes.token import (
    BODY_LENGTH,
    PREFIX,
    TOKEN_LENGTH,
    TokenFormatError,
    encode_token,
    looks_like_ours,
    new_reference,
    new_token,
    parse_token,
)
from kiosk.store import Store, open_store
from support.passes_school import build_families

NOW = datetime(2025, 9, 3, 9, 0, tzinfo=timezone(timedelta(0)))
TODAY = date(2025, 10, 1)
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
CODES = set(MESSAGES)


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, IssuedPass]]:
    """One store with a few families and one issued pass, shared by the property tests."""
    path: Path = tmp_path_factory.mktemp("passes") / "kiosk.db"
    store = open_store(path)
    build_families(store, NOW)
    issued = issue_pass(store, "F-ADAMS", now=NOW)
    yield store, issued
    store.close()


def test_token_shape() -> None:
    token = new_token()
    assert len(token) == TOKEN_LENGTH == 36
    assert token.startswith(PREFIX)
    assert set(token[len(PREFIX):]) <= set(BASE32)
    assert len(token[len(PREFIX):]) == BODY_LENGTH


def test_tokens_are_random() -> None:
    assert len({new_token() for _ in range(1000)}) == 1000


@given(st.binary(min_size=16, max_size=16))
def test_encode_parse_round_trip(secret: bytes) -> None:
    assert parse_token(encode_token(secret)).secret == secret


def test_scanner_and_typing_noise_is_forgiven() -> None:
    token = new_token()
    secret = parse_token(token).secret
    for variant in (token.lower(), f"  {token}\r\n", "\t".join([token[:10], token[10:]]),
                    token[:4] + " " + " ".join(token[4 + i:8 + i] for i in range(0, 32, 4))):
        assert parse_token(variant).secret == secret


@pytest.mark.parametrize("text, code", [
    ("", "not_a_pass"),
    ("https://example.org/tickets/123", "not_a_pass"),
    ("KP2:" + "A" * 32, "not_a_pass"),
    ("KP1:", "malformed"),
    ("KP1:" + "A" * 31, "malformed"),
    ("KP1:" + "A" * 33, "malformed"),
    ("KP1:" + "A" * 31 + "1", "malformed"),  # 1 is not Base32
    ("KP1:" + "A" * 32, "malformed"),  # right shape, wrong check value
    ("KP1:" + "\u017f" * 32, "malformed"),  # long s upper-cases to S in Python: not here
])
def test_format_errors_have_codes(text: str, code: str) -> None:
    with pytest.raises(TokenFormatError) as error:
        parse_token(text)
    assert error.value.code == code


def test_secret_never_in_repr() -> None:
    token = new_token()
    assert token[4:] not in repr(parse_token(token))
    assert parse_token(token).secret.hex() not in repr(parse_token(token))


def test_references_avoid_confusable_characters() -> None:
    refs = {new_reference() for _ in range(2000)}
    assert all(len(ref) == 4 for ref in refs)
    assert not set("".join(refs)) & set("01IO")


@given(position=st.integers(0, TOKEN_LENGTH - 1), replacement=st.characters())
@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_single_changed_character_is_never_ok(
    school: tuple[Store, IssuedPass], position: int, replacement: str
) -> None:
    store, issued = school
    original = issued.token[position]
    if replacement.isascii() and replacement.upper() == original:
        return  # the same character (Base32 is case-insensitive): not a change
    changed = issued.token[:position] + replacement + issued.token[position + 1:]
    check = verify(changed, store, TODAY)
    assert not check.ok
    assert check.code in {"malformed", "not_a_pass"}
    assert check.pass_id is None and check.family_id is None


def test_every_single_base32_substitution_is_malformed(
    school: tuple[Store, IssuedPass],
) -> None:
    """Exhaustive over the body: CRC-32 catches every 5-bit error, so never another code."""
    store, issued = school
    token = issued.token
    for position in range(len(PREFIX), TOKEN_LENGTH):
        for char in BASE32:
            if char != token[position]:
                changed = token[:position] + char + token[position + 1:]
                assert verify(changed, store, TODAY).code == "malformed"


@given(st.text(max_size=300))
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_text_never_crashes(school: tuple[Store, IssuedPass], text: str) -> None:
    check = verify(text, store=school[0], today=TODAY)
    assert check.code in CODES - {"ok"} and check.message == MESSAGES[check.code]


@given(st.binary(max_size=300))
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_bytes_never_crash(school: tuple[Store, IssuedPass], data: bytes) -> None:
    assert verify(data, school[0], TODAY).code in CODES - {"ok"}


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40).map(lambda s: PREFIX + s))
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_our_prefix_with_junk_is_malformed(school: tuple[Store, IssuedPass], text: str) -> None:
    assert verify(text, school[0], TODAY).code == "malformed"


@pytest.mark.parametrize("text", [
    "\x00" * 50, PREFIX + "\x00" * 32, "\x1b[31m" + PREFIX, "\u202e" + "A" * 40,
    "x" * 5_000_000, PREFIX + "A" * 5_000_000, " " * 1_000_000 + PREFIX,
    "\ud800" * 10, "\r\n\t\x0b\x0c\x1c\x1d\x1e\x85\u2028",
])
def test_hostile_text_gets_a_plain_answer(school: tuple[Store, IssuedPass], text: str) -> None:
    assert verify(text, school[0], TODAY).code in {"not_a_pass", "malformed"}


def test_bytes_are_decoded_leniently(school: tuple[Store, IssuedPass]) -> None:
    store, issued = school
    assert verify(issued.token.encode("ascii"), store, TODAY).ok
    assert verify(bytearray(issued.token.encode("ascii")), store, TODAY).ok
    assert verify(b"\xff\xfe" + issued.token.encode("ascii"), store, TODAY).code == "not_a_pass"
    assert verify(issued.token.encode("ascii")[:20] + b"\xc3(", store, TODAY).code == "not_a_pass"


def test_well_formed_unknown_code_is_unknown(school: tuple[Store, IssuedPass]) -> None:
    check = verify(new_token(), school[0], TODAY)
    assert check.code == "unknown_pass"
    assert check.pass_id is None and check.ref is None


def test_messages_are_plain_and_personal_free(school: tuple[Store, IssuedPass]) -> None:
    store, issued = school
    assert verify(issued.token, store, TODAY).message == "This family pass is valid."
    for code, message in MESSAGES.items():
        assert message.endswith(".") and "Adams" not in message, code


def test_looks_like_ours_is_cheap_on_huge_input() -> None:
    assert looks_like_ours("  kp1:abc")
    assert not looks_like_ours("x" * 10_000_000)
    assert not looks_like_ours(base64.b32encode(b"0" * 20).decode())


def test_each_refusal_asks_for_staff_once_at_the_door() -> None:
    for code in set(MESSAGES) - {"ok"}:
        text = _message(code)
        assert text.lower().count("member of staff") == 1, (code, text)
    assert _message("malformed").startswith(MESSAGES["malformed"])
    assert "If it still does not work" in _message("malformed")
