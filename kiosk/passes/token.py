"""Pass token format: a random secret plus a check value, Base32 behind a fixed prefix.

The token carries no personal data. Layout (see docs/pass-format.md):

    KP1:<32 upper-case Base32 characters>

The 20 decoded bytes are a 16-byte secret from `secrets` followed by a 4-byte check
value (CRC-32 over a domain tag and the secret, big-endian). The check value lets the
kiosk tell a misread or mistyped code (`malformed`) from a well-formed code that was
never issued (`unknown_pass`). CRC-32 catches every error burst of up to 32 bits, so
changing any one character (5 bits) is always `malformed`, never another valid code.
Base32 is case-insensitive, so a lower-case code (a scanner with Caps Lock on) still
reads. Only SHA-256(secret) is ever stored.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import zlib
from dataclasses import dataclass, field

PREFIX = "KP1:"
SECRET_BYTES = 16
CHECK_BYTES = 4
BODY_LENGTH = 32  # Base32 characters for SECRET_BYTES + CHECK_BYTES, no padding
TOKEN_LENGTH = len(PREFIX) + BODY_LENGTH
_MAX_INSPECTED = 256  # longer input is never a pass; only its start is looked at
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_CHECK_TAG = b"kiosk-pass-check-v1"
_REF_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I: read aloud by staff
REF_LENGTH = 4  # the reference printed on a pass card, read or typed by staff


@dataclass(frozen=True)
class ParsedToken:
    """A token whose prefix, length and check value are right (not yet looked up)."""

    secret: bytes = field(repr=False)  # never printed or logged

    @property
    def secret_hash(self) -> str:
        """Hex SHA-256 of the secret: the only form the database keeps."""
        return hash_secret(self.secret)


class TokenFormatError(ValueError):
    """The text is not a well-formed pass token; `code` says which way it fails."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _check_value(secret: bytes) -> bytes:
    return zlib.crc32(secret, zlib.crc32(_CHECK_TAG)).to_bytes(CHECK_BYTES, "big")


def hash_secret(secret: bytes) -> str:
    """Return the hex SHA-256 of a pass secret (what the store keeps)."""
    return hashlib.sha256(secret).hexdigest()


def new_token() -> str:
    """Make a new random pass token (128 bits of entropy from `secrets`)."""
    return encode_token(secrets.token_bytes(SECRET_BYTES))


def encode_token(secret: bytes) -> str:
    """Encode a secret as a token string with its check value."""
    if len(secret) != SECRET_BYTES:
        raise ValueError(f"a pass secret is {SECRET_BYTES} bytes")
    body = base64.b32encode(secret + _check_value(secret)).decode("ascii")
    return PREFIX + body


def normalise(text: str) -> str:
    """Trim what scanners and typing add to a code: whitespace anywhere, lower case (ASCII).

    Only ASCII letters change case, so no other script's letter can turn into a valid
    character (the German sharp s or the Turkish dotless i upper-case to ASCII letters).
    Very long text is cut to its start: it can only be checked for our prefix.
    """
    squeezed = "".join(text[: _MAX_INSPECTED * 4].split())[: _MAX_INSPECTED + 1]
    return squeezed.translate(_ASCII_UPPER)


def looks_like_ours(text: str) -> bool:
    """True when the text starts with our prefix (after trimming); says nothing on validity."""
    return normalise(text[:64]).startswith(PREFIX)


def parse_token(text: str) -> ParsedToken:
    """Check prefix, length, alphabet and check value; raise TokenFormatError if wrong.

    Codes: `not_a_pass` (no prefix: some other QR code) or `malformed` (our prefix,
    but a misread, truncated or mistyped body).
    """
    cleaned = normalise(text)
    if not cleaned.startswith(PREFIX):
        raise TokenFormatError("not_a_pass", "This is not a family pass from this school.")
    body = cleaned[len(PREFIX) :]
    if len(body) != BODY_LENGTH or len(text) > _MAX_INSPECTED * 4:
        raise TokenFormatError(
            "malformed", "The pass code was not read completely. Please try again."
        )
    try:
        raw = base64.b32decode(body)
    except (binascii.Error, ValueError):
        raise TokenFormatError(
            "malformed", "The pass code was misread. Please try again."
        ) from None
    secret, check = raw[:SECRET_BYTES], raw[SECRET_BYTES:]
    if not hmac.compare_digest(check, _check_value(secret)):
        raise TokenFormatError("malformed", "The pass code was misread. Please try again.")
    return ParsedToken(secret=secret)


def new_reference() -> str:
    """A short, non-secret reference staff can read aloud ("pass 7F3K")."""
    return "".join(secrets.choice(_REF_ALPHABET) for _ in range(REF_LENGTH))
