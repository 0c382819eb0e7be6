"""Opening an export folder or .zip: finding its files, telling their kinds, streaming rows."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from allegory2odoo.export.decoding import check_encoding_name, detect_encoding
from allegory2odoo.export.errors import ExportError
from allegory2odoo.export.headers import column_letter, kind_from_headers, map_header, trim_header
from allegory2odoo.export.kinds import KINDS, kind_from_name
from allegory2odoo.export.members import ATTACHMENT_FOLDERS, FolderMembers, ZipMembers
from allegory2odoo.export.readers import (
    BinaryOpener,
    NumberedRow,
    choose_sheet,
    read_csv,
    read_xlsx,
    sniff_delimiter,
)

_CSV_SUFFIXES = {".csv": ",", ".tsv": "\t", ".txt": ","}
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One data row of an export file: its kind, file, spreadsheet row number and values.

    `values` maps canonical column names, and the normalised names of unknown columns,
    to cell values as read (see docs/export-format.md).
    """

    kind: str
    file: str
    row: int
    values: dict[str, Any]

    def get(self, column: str, default: Any = None) -> Any:
        return self.values.get(column, default)


@dataclass
class ExportFile:
    """One file of an export and what the reader found out about it."""

    name: str
    kind: str
    format: str
    encoding: str | None
    columns: tuple[str, ...]
    unknown_columns: tuple[str, ...]
    sheet: str | None = None
    _opener: BinaryOpener | None = field(default=None, repr=False)
    _delimiter: str = field(default=",", repr=False)
    _header_row: int = field(default=1, repr=False)
    _names: tuple[str, ...] = field(default=(), repr=False)

    def _records(self) -> Iterator[NumberedRow]:
        assert self._opener is not None
        if self.format == "xlsx":
            sheet = self.sheet
            assert sheet is not None
            return read_xlsx(self._opener, lambda sheet_names: sheet, self.name)
        assert self.encoding is not None
        return read_csv(self._opener, self.encoding, self._delimiter, self.name)


@dataclass
class _Candidate:
    name: str
    format: str
    opener: BinaryOpener
    default_delimiter: str = ","


class Export:
    """An opened export. Use it as a context manager, so that the .zip it reads from is closed."""

    def __init__(self, location: str, zip_file: zipfile.ZipFile | None) -> None:
        self.location = location
        self.warnings: list[str] = []
        self._zip = zip_file
        self._files: list[ExportFile] = []
        self._columns: dict[str, Mapping[str, str]] = {}  # file name -> {header: column chosen by the caller}
        self._closed = False
        self._members: FolderMembers | ZipMembers = ZipMembers(zip_file) if zip_file else FolderMembers(Path(location))

    def __enter__(self) -> Export:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def kinds(self) -> list[str]:
        """Return the kinds found, in the order of the kind registry."""
        found = {export_file.kind for export_file in self._files}
        return [kind for kind in KINDS if kind in found]

    def files(self) -> list[ExportFile]:
        return list(self._files)

    def file(self, kind: str) -> ExportFile | None:
        """Return the file that contains `kind`, or None when the export has none."""
        _check_kind(kind)
        return next((export_file for export_file in self._files if export_file.kind == kind), None)

    def rows(self, kind: str) -> Iterator[SourceRow]:
        """Yield the data rows of `kind` in file order, reading the file as a stream.

        Rows whose cells are all empty are skipped. Yields nothing when the export has no
        file of that kind. Raises ValueError at once for a kind that is not in `KINDS`.
        """
        export_file = self.file(kind)
        if export_file is None:
            return iter(())
        return _stream_rows(export_file)

    def open_member(self, path: str) -> BinaryIO:
        """Open the file at `path` inside the export for reading bytes, as a stream.

        `path` is relative to the export's root, or else to the folder of the attachments
        file. Raises MemberPathError for a path that is absolute, contains `..`, leads
        through a symbolic link or out of the export, and its subclass MemberNotFoundError
        for a file that is not there. See docs/export-format.md for how names are matched.
        """
        location = self._locate(path)
        return self._members.open(location, path)  # type: ignore[arg-type]

    def member_size(self, path: str) -> int:
        """Return the size in bytes of the file at `path`, checked as `open_member` checks it."""
        return self._members.size(self._locate(path))  # type: ignore[arg-type]

    def _locate(self, path: str) -> Any:
        if self._closed:
            raise ValueError("the export is closed; open it again to read its files")
        bases: list[tuple[str, ...]] = [()]
        attachments = self.file("attachments")
        if attachments is not None:
            folder = PurePosixPath(attachments.name).parent.parts
            if folder:
                bases.append(folder)
        return self._members.locate(path, tuple(bases))


def open_export(
    path: str | os.PathLike[str],
    encoding: str | None = None,
    kind_overrides: Mapping[str, str | None] | None = None,
    columns: Mapping[str, Mapping[str, str]] | None = None,
) -> Export:
    """Open an export folder or .zip, tell the kind of each file and read its header.

    `encoding` applies to every CSV file and turns detection off. `kind_overrides`
    maps a file name (its path inside the export, or its bare name) to a kind, or to None
    to skip that file. `columns` maps a file name (its path inside the export) to
    {header as written: column name}, for headers read as another column than
    their spelling suggests. Raises ExportError for input that cannot be read.
    """
    location = Path(path)
    if encoding is not None:
        encoding = check_encoding_name(encoding)
    overrides = dict(kind_overrides or {})
    for file_name, kind in overrides.items():
        if kind is not None and kind not in KINDS:
            raise ExportError(
                f"kind_overrides gives the unknown kind {kind!r}",
                file=file_name,
                value=kind,
                hint=f"Use one of: {', '.join(KINDS)}, or None to skip the file.",
            )

    export, candidates = _list_candidates(location)
    export._columns = dict(columns or {})
    try:
        _scan(export, candidates, encoding, overrides)
    except BaseException:
        export.close()
        raise
    return export


def _list_candidates(location: Path) -> tuple[Export, list[_Candidate]]:
    if location.is_dir():
        export = Export(str(location), None)
        paths = sorted(
            (PurePosixPath(file.relative_to(location).as_posix()), file)
            for file in location.rglob("*")
            if file.is_file()
        )
        listed = [(relative, _file_opener(file)) for relative, file in paths]
    elif location.is_file() and location.suffix.lower() == ".zip":
        try:
            zip_file = zipfile.ZipFile(location)
        except zipfile.BadZipFile as error:
            raise ExportError(f"the .zip file cannot be read ({error})", file=str(location),
                              hint="Download the export again.") from None
        export = Export(str(location), zip_file)
        listed = [
            (PurePosixPath(info.filename), _member_opener(zip_file, info))
            for info in sorted(zip_file.infolist(), key=lambda info: info.filename)
            if not info.is_dir()
        ]
    elif location.exists():
        raise ExportError(
            "an export must be a folder or a .zip file",
            file=str(location),
            hint="Put the export's files in one folder and pass that folder.",
        )
    else:
        raise ExportError("the export was not found", file=str(location), hint="Check the path.")

    candidates = []
    data_folders = _data_folders(relative for relative, _opener in listed)
    for relative, opener in listed:
        if _in_attachment_folder(relative, data_folders):
            continue
        candidate = _classify_file(export, relative, opener)
        if candidate is not None:
            candidates.append(candidate)
    return export, candidates


def _data_folders(paths: Iterator[PurePosixPath]) -> set[PurePosixPath]:
    """Return the folders that directly contain a CSV or XLSX file whose name names a kind."""
    folders = set()
    for relative in paths:
        suffix = relative.suffix.lower()
        if (suffix in _CSV_SUFFIXES or suffix in _XLSX_SUFFIXES) and kind_from_name(relative.stem):
            folders.add(relative.parent)
    return folders


def _in_attachment_folder(relative: PurePosixPath, data_folders: set[PurePosixPath]) -> bool:
    """Tell whether a file lies in an attachment folder (`files/`, ...) beside the data files."""
    for folder in relative.parents:
        if folder.name.casefold() in ATTACHMENT_FOLDERS and folder.parent in data_folders:
            return True
    return False


def _file_opener(file: Path) -> BinaryOpener:
    return lambda: open(file, "rb")


def _member_opener(zip_file: zipfile.ZipFile, info: zipfile.ZipInfo) -> BinaryOpener:
    return lambda: zip_file.open(info)  # type: ignore[return-value]


def _classify_file(export: Export, relative: PurePosixPath, opener: BinaryOpener) -> _Candidate | None:
    name = str(relative)
    if any(part.startswith(".") or part == "__MACOSX" for part in relative.parts) or relative.name.startswith("~$"):
        return None  # hidden files, macOS resource forks and Excel lock files
    if relative.name.lower().startswith("readme"):
        return None
    suffix = relative.suffix.lower()
    if suffix in _CSV_SUFFIXES:
        return _Candidate(name, "csv", opener, _CSV_SUFFIXES[suffix])
    if suffix in _XLSX_SUFFIXES:
        return _Candidate(name, "xlsx", opener)
    if suffix == ".xls":
        export.warnings.append(
            f"{name}: skipped because the old Excel .xls format is not read. "
            "Save it as .xlsx or CSV and run again."
        )
        return None
    export.warnings.append(f"{name}: skipped because it is not a CSV or XLSX file.")
    return None


def _scan(export: Export, candidates: list[_Candidate], encoding: str | None, overrides: dict[str, str | None]) -> None:
    unused_overrides = set(overrides)
    claimed: dict[str, str] = {}
    for candidate in candidates:
        override_key = _override_key(candidate.name, overrides)
        if override_key is not None:
            unused_overrides.discard(override_key)
            if overrides[override_key] is None:
                export.warnings.append(f"{candidate.name}: skipped as kind_overrides asks.")
                continue
        export_file = _open_file(export, candidate, encoding, overrides.get(override_key) if override_key else None)
        if export_file is None:
            continue
        if export_file.kind in claimed:
            raise ExportError(
                f"the files {claimed[export_file.kind]!r} and {export_file.name!r} both contain kind "
                f"'{export_file.kind}'",
                file=export_file.name,
                hint="Remove or rename one of them, or pass kind_overrides to give one file "
                "another kind or None to skip it.",
            )
        claimed[export_file.kind] = export_file.name
        export._files.append(export_file)

    if unused_overrides:
        found = ", ".join(candidate.name for candidate in candidates) or "none"
        raise ExportError(
            f"kind_overrides names a file that the export does not contain (files found: {found})",
            file=sorted(unused_overrides)[0],
            hint="Give the file's name as listed, with its extension.",
        )


def _override_key(name: str, overrides: dict[str, str | None]) -> str | None:
    if name in overrides:
        return name
    base = PurePosixPath(name).name
    return base if base in overrides else None


def _open_file(export: Export, candidate: _Candidate, encoding: str | None, forced_kind: str | None) -> ExportFile | None:
    """Tell a file's kind, encoding and header; return None (with a warning) to skip it."""
    name = candidate.name
    export_file = ExportFile(name=name, kind=forced_kind or kind_from_name(PurePosixPath(name).stem) or "",
                             format=candidate.format, encoding=None, columns=(), unknown_columns=(),
                             _opener=candidate.opener)
    if candidate.format == "csv":
        _detect_csv_dialect(export, export_file, candidate, encoding)
        header_row, header = _read_header(export_file._records())
    else:
        # One workbook load picks the sheet and reads its header, because openpyxl
        # parses every sheet on load when a sheet has no <dimension> element.
        selector = _SheetSelector(export_file.kind or None)
        header_row, header = _read_header(read_xlsx(candidate.opener, selector, name))
        export_file.kind = selector.kind or ""
        export_file.sheet = selector.sheet
    if header is None:
        export.warnings.append(f"{name}: skipped because it contains no header row.")
        return None

    kind = export_file.kind or _kind_from_header(export, name, header)
    if kind is None:
        return None
    header_map = map_header(header, kind, name, export._columns.get(name))
    if header_map.unknown_columns:
        export.warnings.append(
            f"{name}: {len(header_map.unknown_columns)} column(s) not known for kind '{kind}' are kept "
            f"under their normalised names: {', '.join(header_map.unknown_columns)}."
        )
    export_file.kind = kind
    export_file.columns = header_map.columns
    export_file.unknown_columns = header_map.unknown_columns
    export_file._header_row = header_row
    export_file._names = header_map.names
    return export_file


def _detect_csv_dialect(export: Export, export_file: ExportFile, candidate: _Candidate, encoding: str | None) -> None:
    file_encoding = encoding or detect_encoding(candidate.opener)
    if encoding is None and file_encoding not in ("utf-8", "utf-8-sig", "utf-16", "utf-32"):
        export.warnings.append(
            f"{export_file.name}: no byte order mark and not UTF-8, so it is decoded as {file_encoding} "
            "(detected). If characters look wrong, pass the encoding explicitly."
        )
    export_file.encoding = file_encoding
    export_file._delimiter = sniff_delimiter(candidate.opener, file_encoding, candidate.default_delimiter)


class _SheetSelector:
    """Choose a workbook's sheet once its sheet names are known, and tell the kind from them.

    Without a kind from the file name, a sheet name that means exactly one kind gives it.
    """

    def __init__(self, kind: str | None) -> None:
        self.kind = kind
        self.sheet: str | None = None

    def __call__(self, sheet_names: list[str]) -> str:
        if self.kind is None:
            sheet_kinds = {kind_from_name(sheet_name) for sheet_name in sheet_names} - {None}
            if len(sheet_kinds) == 1:
                self.kind = sheet_kinds.pop()
        self.sheet = choose_sheet(sheet_names, self.kind)
        return self.sheet


def _kind_from_header(export: Export, name: str, header: list[str | None]) -> str | None:
    kind, reason = kind_from_headers(header)
    if kind is None:
        export.warnings.append(
            f"{name}: skipped because its kind cannot be told: the file name names no kind and "
            f"{reason}. Rename the file after its kind (for example contacts.csv) or pass "
            "kind_overrides={file name: kind}."
        )
        return None
    export.warnings.append(
        f"{name}: kind '{kind}' {reason}, since the file name names no kind. "
        "If that is wrong, pass kind_overrides."
    )
    return kind


def _read_header(records: Iterator[NumberedRow]) -> tuple[int, list[str | None] | None]:
    """Return the row number and cells of the first row that is not blank, and close `records`."""
    try:
        for row_number, cells in records:
            header = trim_header(cells)
            if header:
                return row_number, header
    finally:
        records.close()  # type: ignore[attr-defined]
    return 0, None


def _stream_rows(export_file: ExportFile) -> Iterator[SourceRow]:
    names = export_file._names
    width = len(names)
    kind = export_file.kind
    file_name = export_file.name
    records = export_file._records()
    try:
        for row_number, cells in records:
            if row_number <= export_file._header_row:
                continue
            if len(cells) > width:
                _check_extra_cells(export_file, row_number, cells)
                cells = cells[:width]
            if all(cell is None for cell in cells):
                continue
            values = dict(zip(names, cells))
            if len(cells) < width:
                for missing in names[len(cells):]:
                    values[missing] = None
            yield SourceRow(kind, file_name, row_number, values)
    finally:
        records.close()  # type: ignore[attr-defined]


def _check_extra_cells(export_file: ExportFile, row_number: int, cells: list[Any]) -> None:
    width = len(export_file._names)
    for index in range(width, len(cells)):
        if cells[index] is not None:
            raise ExportError(
                f"the row has {len(cells)} cells but the header has {width} columns",
                file=export_file.name,
                row=row_number,
                column=column_letter(index),
                value=cells[index],
                hint="Quote cells that contain the delimiter, or add a header for the extra column.",
            )


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; known kinds: {', '.join(KINDS)}")
