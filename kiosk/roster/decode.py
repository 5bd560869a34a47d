"""Turn the bytes of a CSV export into text rows: detect the encoding and the delimiter.

Excel writes "CSV (Comma delimited)" in the Windows code page (cp1252) and "CSV UTF-8"
with a byte-order mark; a naive UTF-8 read would leave the mark glued to the first
header. European Excel uses semicolons; "Unicode text" is tab-separated UTF-16.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from kiosk.roster.errors import RosterError

MAX_BYTES = 20 * 1024 * 1024
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class DecodedFile:
    """The file as text, with the encoding and delimiter that were detected."""

    text: str
    encoding: str
    delimiter: str

    def with_delimiter(self, delimiter: str) -> DecodedFile:
        """The same text read with another delimiter."""
        return DecodedFile(self.text, self.encoding, delimiter)

    @property
    def delimiter_name(self) -> str:
        """The delimiter in words (comma, semicolon, tab) for the report."""
        return DELIMITERS[self.delimiter]


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name): UTF-8 with BOM, UTF-16, UTF-8, else Windows-1252."""
    if len(data) > MAX_BYTES:
        raise RosterError("The file is too large to be a school roster (over 20 MB).")
    if data.startswith(_UTF16_BOMS):
        return _strict(data, "utf-16", "UTF-16"), "UTF-16"
    if b"\x00" in data:
        raise RosterError(
            "The file is not a CSV text file (nor an .xlsx workbook); "
            "save it from the MIS or Excel as CSV or .xlsx."
        )
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8) :], "utf-8", "UTF-8"), "UTF-8 with BOM"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        _refuse_mixed_encodings(data)
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise RosterError(
            "The file is neither UTF-8 nor Windows-1252 text; save it from Excel as 'CSV UTF-8'."
        ) from None


def _refuse_mixed_encodings(data: bytes) -> None:
    """Refuse a file whose non-ASCII lines are partly UTF-8 and partly not (pasted together).

    Read as Windows-1252, its UTF-8 lines would import as mojibake ("ZoÃ«" for "Zoë").
    """
    utf8: list[int] = []
    other: list[int] = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other.append(number)
        else:
            utf8.append(number)
    if utf8 and other:
        raise RosterError(
            f"The file mixes two text encodings: line {utf8[0]} is UTF-8 but line {other[0]}"
            " is not; save it again from Excel as 'CSV UTF-8'."
        )


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise RosterError(f"The file starts with a {name} mark but is not valid {name}.") from None


def sniff_delimiter(text: str) -> str:
    """The delimiter used most on the header line, outside quotes (comma when none)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in text.lstrip("\r\n"):
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        elif char in counts and not quoted:
            counts[char] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def decode_file(data: bytes) -> DecodedFile:
    """Decode the bytes and pick the delimiter."""
    text, encoding = decode_bytes(data)
    if not text.strip():
        raise RosterError("The file is empty.")
    return DecodedFile(text=text, encoding=encoding, delimiter=sniff_delimiter(text))


def read_rows(decoded: DecodedFile) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number where the row starts, cells) for every row, blank rows included."""
    reader = csv.reader(io.StringIO(decoded.text, newline=""), delimiter=decoded.delimiter)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        raise RosterError(
            f"Line {reader.line_num} could not be read as CSV ({error})."
        ) from None
