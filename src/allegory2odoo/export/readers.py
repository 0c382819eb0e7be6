"""Row streams from one CSV or XLSX file: row numbers as a spreadsheet shows them, cells as read."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import openpyxl
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from allegory2odoo.export.errors import ExportError
from allegory2odoo.export.headers import column_letter
from allegory2odoo.export.kinds import kind_from_name

# Row number (header = 1) and the row's cells, CSV cells stripped with "" -> None.
NumberedRow = tuple[int, list[Any]]
BinaryOpener = Callable[[], BinaryIO]

_DELIMITERS = (",", ";", "\t", "|")
# Long free-text cells (matter descriptions) exceed the csv module's default 128 KiB limit.
_FIELD_SIZE_LIMIT = 16 * 1024 * 1024
_UNDECODED = re.compile("[\udc80-\udcff]")
_TIME_CODES = re.compile(r"[hs]|am/pm|a/p", re.IGNORECASE)


def clean_cell(value: Any) -> Any:
    """Return a cell value with strings stripped and empty strings as None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def sniff_delimiter(open_binary: BinaryOpener, encoding: str, default: str = ",") -> str:
    """Return the delimiter that occurs most often in the header line, or `default` if none does."""
    with open_binary() as raw, io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="") as text:
        header_line = text.readline()
    counts = {delimiter: _count_outside_quotes(header_line, delimiter) for delimiter in _DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    if counts[best] == 0:
        return default
    return best


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count = 0
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def read_csv(open_binary: BinaryOpener, encoding: str, delimiter: str, file_label: str) -> Iterator[NumberedRow]:
    """Yield every record of a CSV file with its row number, blank records included as [].

    A quoted cell may contain newlines, so a row number counts records, not physical lines.
    Bytes that are not valid in `encoding` raise ExportError naming their row and column.
    """
    if csv.field_size_limit() < _FIELD_SIZE_LIMIT:
        csv.field_size_limit(_FIELD_SIZE_LIMIT)
    # A strict decoder fails on a whole 8 KiB chunk, rows ahead of the bad byte. With
    # surrogateescape the bad bytes stay in the text as lone surrogates, so the check
    # below can name the exact cell.
    with open_binary() as raw, io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline="") as text:
        reader = csv.reader(text, delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
        row_number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ExportError(
                    f"the CSV record cannot be parsed ({error})",
                    file=file_label,
                    row=row_number + 1,
                    hint="Check the quoting around this row, or re-export the file from Allegory.",
                ) from None
            row_number += 1
            if _UNDECODED.search("".join(cells)):
                _raise_undecoded(cells, encoding, file_label, row_number)
            yield row_number, [clean_cell(cell) for cell in cells]


def _raise_undecoded(cells: list[str], encoding: str, file_label: str, row_number: int) -> None:
    index = next(index for index, cell in enumerate(cells) if _UNDECODED.search(cell))
    raw = cells[index].encode(encoding, "surrogateescape")
    raise ExportError(
        f"the cell contains bytes that are not valid {encoding}",
        file=file_label,
        row=row_number,
        column=column_letter(index),
        value=raw.decode("ascii", "backslashreplace"),
        hint="Pass the file's encoding explicitly, for example encoding='cp1252'.",
    )


def choose_sheet(sheet_names: list[str], kind: str | None) -> str:
    """Return the sheet named after `kind`, or the first sheet when none is."""
    if kind is not None:
        for name in sheet_names:
            if kind_from_name(name) == kind:
                return name
    return sheet_names[0]


def read_xlsx(
    open_binary: BinaryOpener, select_sheet: Callable[[list[str]], str], file_label: str
) -> Iterator[NumberedRow]:
    """Yield every row of one sheet with its row number, in openpyxl read-only mode.

    `select_sheet` receives the workbook's sheet names and returns the one to read.
    Cells keep openpyxl's types. A datetime cell whose number format shows no time of day
    is yielded as a date, because openpyxl returns every date cell as a datetime.
    NOTE: openpyxl loads a workbook's shared-strings table whole even in read-only mode,
    so memory grows with the number of distinct strings in the workbook.
    """
    with _open_workbook(open_binary, file_label) as workbook:
        sheet = workbook[select_sheet(list(workbook.sheetnames))]
        assert isinstance(sheet, ReadOnlyWorksheet)
        # Some exporters write a wrong <dimension> element; without this reset openpyxl
        # would stop at the size it claims.
        sheet.reset_dimensions()
        for row_number, cells in enumerate(sheet.iter_rows(), start=1):
            yield row_number, [_xlsx_value(cell) for cell in cells]


def _xlsx_value(cell: Any) -> Any:
    value = cell.value
    if isinstance(value, dt.datetime) and value.time() == dt.time(0) and _is_date_only_format(cell.number_format):
        return value.date()
    return clean_cell(value)


def _is_date_only_format(number_format: str | None) -> bool:
    if not number_format:
        return False
    # Drop quoted literals and bracketed parts ([$-409], [Red]) before looking for time codes.
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]', "", number_format)
    return not _TIME_CODES.search(bare)


class _open_workbook:
    """Context manager that opens a workbook read-only and always closes it."""

    def __init__(self, open_binary: BinaryOpener, file_label: str) -> None:
        self._open_binary = open_binary
        self._file_label = file_label

    def __enter__(self) -> openpyxl.Workbook:
        self._stream = self._open_binary()
        try:
            self._workbook = openpyxl.load_workbook(self._stream, read_only=True, data_only=True, keep_links=False)
        except Exception as error:  # openpyxl raises many types for a damaged file
            self._stream.close()
            raise ExportError(
                f"the file cannot be opened as an XLSX workbook ({type(error).__name__}: {error})",
                file=self._file_label,
                hint="Open it in a spreadsheet program and save it again as .xlsx, or export it as CSV.",
            ) from error
        return self._workbook

    def __exit__(self, *exc_info: object) -> None:
        self._workbook.close()
        self._stream.close()
