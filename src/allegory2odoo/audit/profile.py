"""Column profiles: how many records fill each column, and a few distinct sample values."""

from __future__ import annotations

import re
from typing import Any

from allegory2odoo.audit.model import ColumnProfile, KindProfile
from allegory2odoo.export import ExportFile, SourceRow

SAMPLES_PER_COLUMN = 3
SAMPLE_LENGTH = 40
# Columns whose values are never shown, because their names suggest credentials.
_SECRET_COLUMN = re.compile(r"pass(word)?|secret|token|api_?key|credential|private_?key|\bpin\b")
# A value that looks like a key or token (32 or more characters of hex or base64, letters and
# digits mixed) is not shown either, whatever its column. UUIDs and hashes are hidden too.
_SECRET_VALUE = re.compile(r"(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9+/=_-]{32,}")
HIDDEN_SAMPLE = "[hidden]"


def is_filled(value: Any) -> bool:
    if value is None:
        return False
    return not (isinstance(value, str) and not value.strip())


def sample_text(value: Any) -> str:
    """Return a value as one short line: newlines become spaces, long text is cut with an ellipsis."""
    text = " ".join(str(value).split())
    if len(text) > SAMPLE_LENGTH:
        return text[: SAMPLE_LENGTH - 1] + "…"
    return text


class KindProfiler:
    """Count fills and keep the first distinct sample values of every column of one file."""

    def __init__(self, export_file: ExportFile):
        self.profile = KindProfile(kind=export_file.kind, file=export_file.name)
        self._columns: dict[str, ColumnProfile] = {}
        for name in export_file.columns:
            self._add_column(name, known=True)
        for name in export_file.unknown_columns:
            self._add_column(name, known=False)

    def _add_column(self, name: str, known: bool) -> ColumnProfile:
        column = ColumnProfile(name=name, known=known, hidden=bool(_SECRET_COLUMN.search(name)))
        self._columns[name] = column
        self.profile.columns.append(column)
        return column

    def add(self, row: SourceRow) -> None:
        self.profile.records += 1
        for name, value in row.values.items():
            if not is_filled(value):
                continue
            column = self._columns.get(name) or self._add_column(name, known=False)
            column.filled += 1
            if column.hidden or len(column.samples) >= SAMPLES_PER_COLUMN:
                continue
            text = sample_text(value)
            if _SECRET_VALUE.fullmatch(str(value).strip()):
                text = HIDDEN_SAMPLE
            if text not in column.samples:
                column.samples.append(text)
