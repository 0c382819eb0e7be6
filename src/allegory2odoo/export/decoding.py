"""Telling the text encoding of a CSV file: BOM, then strict UTF-8, then charset-normalizer."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from typing import BinaryIO

from charset_normalizer import from_bytes

from allegory2odoo.export.errors import ExportError

SAMPLE_SIZE = 64 * 1024
_CHUNK_SIZE = 1024 * 1024
# Scores of charset-normalizer matches closer than this count as a tie.
_TIE = 0.01

# Longest BOM first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Windows-1252 assigns printable characters where ISO 8859-1 has C1 control codes, so it
# reads every ISO 8859-1 text the same way and also the curly quotes and dashes that
# Windows programs write.
_PREFERRED = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "utf-8": "cp1252"}


def check_encoding_name(encoding: str) -> str:
    """Return the codec name Python uses for `encoding`, or raise ExportError if it is unknown."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ExportError(
            "unknown text encoding",
            value=encoding,
            hint="Pass a Python codec name such as 'utf-8', 'utf-16' or 'cp1252'.",
        ) from None


def detect_encoding(open_binary: Callable[[], BinaryIO]) -> str:
    """Return the encoding of the file that `open_binary` opens.

    The file is read once from start to end in 1 MiB chunks (constant memory), because
    one byte that is not UTF-8 can sit anywhere in it.
    """
    with open_binary() as stream:
        head = stream.read(SAMPLE_SIZE)
        for bom, encoding in _BOMS:
            if head.startswith(bom):
                return encoding
        error_offset = _first_utf8_error(head, stream)
    if error_offset is None:
        return "utf-8"

    # Give charset-normalizer the start of the file and the bytes around the first
    # non-UTF-8 byte, which may lie far past the start.
    with open_binary() as stream:
        sample = _sample_around(stream, head, error_offset)
    matches = from_bytes(sample)
    best = matches.best()
    if best is None:
        return "cp1252"

    # Western text often decodes without error in several code pages that charset-normalizer
    # then scores the same (cp1250 reads 'ø' as 'ř'). Among such ties, take Windows-1252,
    # the default code page of Windows in Western Europe and the Americas.
    tied = [
        match
        for match in matches
        if abs(match.chaos - best.chaos) <= _TIE and abs(match.coherence - best.coherence) <= _TIE
    ]
    if any("cp1252" in (match.encoding, *match.could_be_from_charset) for match in tied):
        return "cp1252"
    name = codecs.lookup(best.encoding).name
    return _PREFERRED.get(name, name)


def _first_utf8_error(head: bytes, stream: BinaryIO) -> int | None:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    offset = 0
    chunk = head
    while True:
        final = not chunk
        try:
            decoder.decode(chunk, final=final)
        except UnicodeDecodeError as error:
            return offset + max(error.start, 0)
        if final:
            return None
        offset += len(chunk)
        chunk = stream.read(_CHUNK_SIZE)


def _sample_around(stream: BinaryIO, head: bytes, error_offset: int) -> bytes:
    if error_offset < SAMPLE_SIZE:
        return head
    window_start = max(error_offset - SAMPLE_SIZE // 2, SAMPLE_SIZE)
    position = SAMPLE_SIZE
    stream.read(SAMPLE_SIZE)
    while position < window_start:
        skipped = stream.read(min(_CHUNK_SIZE, window_start - position))
        if not skipped:
            break
        position += len(skipped)
    return head + b"\n" + stream.read(SAMPLE_SIZE)
